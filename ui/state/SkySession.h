#pragma once
// What the user is looking at: sky layers (maps and attribution maps) and the loaded model.
// Views observe it through signals; they never own data. Layers are immutable values shared
// with worker threads (shared_ptr<const>), so a running job never sees them change.
#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <vector>

#include "model/Model.h"
#include "render/Colormap.h"
#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace ui {

struct Layer {
  enum class Kind { Map, Attribution };
  Kind kind = Kind::Map;
  QString name;
  std::shared_ptr<const sky::SkyMap> map;      // RING ordering
  std::shared_ptr<const sky::Image> image;     // the model-input image (maps) or attribution image
  QString colormap = "planck";
  bool symmetric = false;
  bool manualRange = false;                    // else 0.5-99.5 percentiles of the values
  double rangeMin = 0.0, rangeMax = 1.0;
  bool visible = true;
  int sourceLayer = -1;                        // attributions: the map they explain
};

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

  // Throw sky::SkyError with a message naming the file and the problem.
  int openMap(const QString& path);
  void openModel(const QString& path);
  // The demo: skies of both classes and the demo model (no attribution yet; see MainWindow).
  void openDemo();

  std::shared_ptr<sky::Model> model() const { return model_; }
  const QString& modelPath() const { return modelPath_; }
  // The model input for a map layer: its cartview image after the card's preprocessing.
  std::shared_ptr<const sky::Image> modelInputFor(int index) const;

 signals:
  void layersChanged();
  void currentChanged(int index);
  void modelChanged();

 private:
  std::vector<Layer> layers_;
  int current_ = -1;
  std::shared_ptr<sky::Model> model_;
  QString modelPath_;
  mutable std::map<std::pair<const sky::SkyMap*, bool>, sky::ColorScale> percentileScales_;
};

}  // namespace ui
