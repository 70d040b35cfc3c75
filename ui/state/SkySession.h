#pragma once
// What the user is looking at: sky layers (maps and attribution maps) and the loaded model.
// Views observe it through signals; they never own data. Layers are immutable values shared
// with worker threads (shared_ptr<const>), so a running job never sees them change.
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "jobs/MapLoader.h"
#include "model/Model.h"
#include "render/Colormap.h"
#include "select/Selection.h"
#include "simulate/DemoSkies.h"
#include "sky/Image.h"
#include "sky/SkyMap.h"
#include "state/BandPassCache.h"

namespace ui {

// What a left-drag on a sky view does: move the view, or draw a region of the selection.
enum class SelectionTool { Navigate, Disc, Rectangle, Lasso };

struct Layer {
  enum class Kind { Map, Attribution };
  Kind kind = Kind::Map;
  QString name;
  std::shared_ptr<const sky::SkyMap> map;  // RING ordering, the one field this layer shows
  // Maps: the whole file (T, Q, U...) the model reads; each field has a layer of its own.
  std::shared_ptr<const sky::SkyMap> inputMap;
  int channel = 0;                          // the field of inputMap, or the attribution image's channel
  std::shared_ptr<const sky::Image> image;  // the model-input image (maps) or attribution image
  QString colormap = "planck";
  bool symmetric = false;
  bool manualRange = false;  // else 0.5-99.5 percentiles of the values
  double rangeMin = 0.0, rangeMax = 1.0;
  bool visible = true;
  int sourceLayer = -1;    // attributions: the map they explain
  QString method;          // attributions: the explainer
  QVariantMap parameters;  // attributions: its settings (sessions, file headers)
  QString path;            // maps read from a file
  int demoIndex = -1;      // demo maps: index in demoSkies()
  // Means over a batch: the mean and scatter of the maps' own C_l (not the mean map's C_l).
  struct SpectrumScatter {
    std::vector<double> mean, std;  // C_l, l = 0..lmax
    int maps = 0;
  };
  std::shared_ptr<const SpectrumScatter> spectrumScatter;
};

// One field of a map (the map itself when it has one field).
std::shared_ptr<const sky::SkyMap> fieldOf(const std::shared_ptr<const sky::SkyMap>& map, int field);
// "TEMPERATURE" -> "T", "Q_POLARISATION" -> "Q", ...; other names unchanged.
QString shortFieldName(const std::string& name);
// What a layer is, for its tooltip: the file's column and the role it plays (I_STOKES read as
// T; TMASK a mask), nside, the file's unit and the one shown.
QString describeLayer(const Layer& layer);

class SkySession : public QObject {
  Q_OBJECT
 public:
  explicit SkySession(QObject* parent = nullptr);

  const std::vector<Layer>& layers() const { return layers_; }
  const Layer* layer(int index) const;
  int currentIndex() const { return current_; }
  int addLayer(Layer layer);
  void setCurrent(int index);
  void setVisible(int index, bool visible);
  void setColormap(int index, const QString& name, bool symmetric);
  void setRange(int index, bool manual, double min, double max);
  // The colour scale every view uses for a layer (so all views agree).
  sky::ColorScale colorScaleOf(const Layer& layer) const;

  // The map a layer belongs to (itself for maps), and the newest visible attribution of a map
  // (or the layer itself when it is an attribution).
  int sourceMapOf(int index) const;
  const Layer* attributionFor(int index) const;

  // Throws sky::SkyError with a message naming the file and the problem. Adds a layer per field
  // (T, Q, U) and returns the first. Reads on the calling thread: the window reads with a
  // MapLoader and adds its result with addLoadedMap.
  int openMap(const QString& path);
  // A map read by loadMapFile (on a worker): a layer per field, or only `field`; cheap (shares
  // the values, takes the colour scales computed there). Returns the first layer's index.
  int addLoadedMap(const LoadedMap& map, int field = -1);
  // Raw percentiles computed off the GUI thread (ColorScale::percentiles) for a map: both of
  // its colour scales, plain and symmetric, follow from them.
  void primeColorScale(const sky::SkyMap* map, const sky::ColorScale& rawPercentiles);
  void openModel(const QString& path);
  // true: forward-only work runs the module as saved (bit-identical with PyTorch and shap)
  // instead of its inference-optimised copy (ModelLoadOptions::exactModel); reloads the model.
  void setExactModel(bool exact);
  bool exactModel() const { return exactModel_; }
  // What is wrong between the model and the maps for it to read: a map that lacks a field the
  // model reads ("the model reads T, Q, U; x.fits has no Q, U"), else "". (A T model beside a
  // T, Q, U map is fine: it reads the T field.)
  QString modelMapMismatch() const;
  // The demo: skies of both classes and the demo model (no attribution yet; see MainWindow).
  void openDemo();
  static std::vector<sky::DemoSky> demoSkies();  // the demo's maps, always the same
  int addDemoMap(int demoIndex);
  // A layer holding a - b pixel by pixel (same nside); returns its index. Throws SkyError.
  int addDifference(int a, int b);
  // An attribution map read from a file (a batch result): one layer per field, named
  // "name [field]" when there are several, or only `onlyField` named `name` (sessions).
  // Returns the first layer's index.
  int openAttributionMap(const QString& path, const QString& name, const QString& method, int sourceLayer,
                         int onlyField = -1);
  // A computed attribution-like map (e.g. a mean over a batch), shown diverging around zero
  // when `symmetric`. Returns its index; the current layer is kept.
  int addComputedMap(const QString& name, std::vector<double> ringValues, int nside, bool symmetric,
                     std::shared_ptr<const Layer::SpectrumScatter> spectrum = nullptr);
  // The first layer read from `path`, or -1.
  int layerOfFile(const QString& path) const;
  // Forgets every layer, the model and the selection (before a session file is loaded).
  void clear();

  // The one selection every view shows (linked brushing), and how new gestures combine with it.
  const sky::Selection& selection() const { return selection_; }
  void setSelection(sky::Selection selection);
  void addRegion(sky::Region region);  // combined with the current mode
  void setMultipoles(std::optional<sky::MultipoleRange> range);
  sky::SelectionMode selectionMode() const { return mode_; }
  void setSelectionMode(sky::SelectionMode mode) { mode_ = mode; }
  SelectionTool tool() const { return tool_; }
  void setTool(SelectionTool tool);
  // The selection's pixels at nside (cached until the selection changes); null without a region.
  // Made here and now if not cached (a second at nside 2048): for exports, scripts and tests.
  const sky::SkyMask* selectionMask(int nside) const;
  std::shared_ptr<const sky::SkyMask> selectionMaskShared(int nside) const;
  // For views: the mask when made, else null while it is made on the thread pool
  // (selectionMasksReady() follows; views draw without it meanwhile). Null without a region.
  std::shared_ptr<const sky::SkyMask> selectionMaskIfReady(int nside) const;
  bool selectionMaskPending() const { return !maskJobs_.empty(); }
  int selectionVersion() const { return selectionVersion_; }
  // Named selections kept for the session (saved, restored, exported).
  const std::vector<sky::Selection>& savedSelections() const { return saved_; }
  void saveSelection(const QString& name);
  void restoreSelection(int index);

  // What sky views draw for a layer: the map itself, or its band-passed version while an
  // l-range is selected. That is made on the thread pool, once per map and range: until it is
  // ready this returns the map itself, and displayedMapsChanged() follows.
  std::shared_ptr<const sky::SkyMap> displayedMap(const Layer& layer) const;
  bool displayPending() const { return bandPassed_->pending(); }

  std::shared_ptr<sky::Model> model() const { return model_; }
  const QString& modelPath() const { return modelPath_; }
  // The model input for a map layer: its cartview image after the card's preprocessing.
  std::shared_ptr<const sky::Image> modelInputFor(int index) const;

 signals:
  void layersChanged();
  void currentChanged(int index);
  void modelChanged();
  void selectionChanged();
  void savedSelectionsChanged();
  void toolChanged();
  void displayedMapsChanged();
  void selectionMasksReady();
  void displayProblem(QString message);

 private:
  static Layer mapLayer(const LoadedMap& map, int field);
  std::vector<Layer> layers_;
  int current_ = -1;
  std::shared_ptr<sky::Model> model_;
  bool exactModel_ = false;
  QString modelPath_;
  mutable std::map<std::pair<const sky::SkyMap*, bool>, sky::ColorScale> percentileScales_;
  sky::Selection selection_;
  sky::SelectionMode mode_ = sky::SelectionMode::Replace;
  SelectionTool tool_ = SelectionTool::Navigate;
  int selectionVersion_ = 0;
  mutable std::map<int, std::shared_ptr<const sky::SkyMask>> masks_;  // by nside, for selectionVersion_
  mutable std::set<int> maskJobs_;  // nsides being made on the pool for selectionVersion_
  std::vector<sky::Selection> saved_;
  BandPassCache* bandPassed_;  // for selection_.multipoles (a child; mutable use from const readers)
};

}  // namespace ui
