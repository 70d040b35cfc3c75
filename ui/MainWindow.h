#pragma once
// The main window: layer panel, central views (Mollweide, model-input image, spectra),
// explainer panel, status-bar pixel readout, File menu with recent files and drag-and-drop.
#include <QMainWindow>
#include <set>
#include <utility>
#include <vector>

#include "actions/SessionHost.h"
#include "export/FigureExport.h"
#include "jobs/ExplainJobs.h"
#include "jobs/MapLoader.h"
#include "state/SkySession.h"

class QLabel;
class QProgressBar;
class QToolButton;
class QTabWidget;
class QDockWidget;
class QToolBar;
class QMenu;

namespace ui {

class MollweideView;
class SphereView;
class ImageView;
class SpectrumView;
class LayerPanel;
class ExplainerPanel;
class SelectionPanel;
class CollectionPanel;
class ComparisonView;
class AnalysisView;

class MainWindow : public QMainWindow, public SessionHost {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  SkySession& session() override { return session_; }
  ExplainJobs& jobs() override { return jobs_; }
  MapLoader& mapLoader() override { return loader_; }
  MollweideView* mollweide() const { return mollweide_; }
  SphereView* sphere() const { return sphere_; }  // null without OpenGL
  ImageView* imageView() const { return image_; }
  SpectrumView* spectrumView() const { return spectrum_; }
  ComparisonView* comparison() const { return comparison_; }
  AnalysisView* analyses() const { return analyses_; }
  ExplainerPanel* explainer() const { return explainer_; }
  LayerPanel* layerPanel() const { return layers_; }
  SelectionPanel* selectionPanel() const { return selection_; }
  CollectionPanel* collectionPanel() const { return collection_; }
  QTabWidget* views() const { return tabs_; }
  // The views by stable id (mollweide, sphere, image, spectrum, comparison, analyses), in tab
  // order; the sphere only where OpenGL is available. Ids never depend on translated titles.
  QStringList viewIds() const override;
  bool showView(const QString& id) override;        // false for an id this window does not have
  QWidget* view(const QString& id) const override;  // null for an id this window does not have
  QString currentViewId() const override;
  QLabel* readout() const { return readout_; }

  // Errors go to a dialog, or only to errorReported() when dialogs are off (tests, scripts).
  void setErrorDialogs(bool on) { errorDialogs_ = on; }
  // A .fits map, a .pt model, a session (.json) or a batch output directory; false (and an
  // error) on failure. Maps are read in the background (status bar: progress, Cancel): true
  // means the read started; mapOpened or openFailed (with an error) follows.
  bool openFile(const QString& path);
  bool openCollection(const QString& directory);  // a `skyinterpret-cli batch` output directory
  void openDemo();                                // demo skies + demo model + two attributions of a feature sky
  int runExplainer();                             // on the current layer; returns the job id or -1
  // The layers of an explainer's result (one per channel); returns the first one's index.
  int addAttributionLayers(const ExplainResult& result) override;

  // Sessions: loading reads the saved explainer results back (re-running a run only when its
  // results are missing, or all of them with `rerun`), then emits sessionLoaded with the
  // problems met (missing files...); false when the file itself cannot be read.
  bool loadSession(const QString& path, bool rerun = false);
  bool saveSession(const QString& path);

  // Figures of the views that paint them (views/ViewRegistry.h). Throws sky::SkyError.
  static QStringList figureViews();
  FigurePainter figurePainter(const QString& view);
  void exportFigure(const QString& view, const QString& path, const FigureOptions& options);
  // True once no job runs, no map is being read and no spectrum is being computed (scripted
  // exports wait for it).
  bool settled() const;

 signals:
  void errorReported(QString message);
  void idle();  // no job queued or running any more
  void sessionLoaded(QStringList problems);
  void mapOpened(int firstLayer);
  void openFailed(QString path);

 protected:
  void dragEnterEvent(QDragEnterEvent*) override;
  void dropEvent(QDropEvent*) override;
  void closeEvent(QCloseEvent*) override;

 public slots:
  void showPixel(qint64 ringPixel);  // the status-bar readout

 private slots:
  void reportError(const QString& message);

 private:
  void buildMenus();
  void buildSelectionTools(QToolBar* tools);
  void buildExportMenu(QMenu* file);
  void addView(const QString& id, QWidget* view, const QString& title);
  void rememberRecent(const QString& path);
  void onJobFinished(int id, const ExplainResult& result);
  void buildLoadProgress();
  void onMapLoaded(int id, const LoadedMap& map);

  SkySession session_;
  ExplainJobs jobs_;
  MapLoader loader_;
  MollweideView* mollweide_;
  SphereView* sphere_ = nullptr;
  ImageView* image_;
  SpectrumView* spectrum_;
  ComparisonView* comparison_;
  AnalysisView* analyses_;
  LayerPanel* layers_;
  ExplainerPanel* explainer_;
  SelectionPanel* selection_;
  CollectionPanel* collection_;
  QDockWidget* collectionDock_;
  QTabWidget* tabs_;
  std::vector<std::pair<QString, QWidget*>> views_;  // id and widget of each tab
  QLabel* readout_;
  QProgressBar* loadProgress_;
  QToolButton* loadCancel_;
  std::set<int> openRequests_;  // map loads asked for by openFile (sessions wait for their own)
  int currentJob_ = -1;
  bool errorDialogs_ = true;
};

}  // namespace ui
