#include "MainWindow.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <algorithm>
#include <numbers>

#include "actions/SessionFile.h"
#include "export/DataExport.h"
#include "io/AtomicFile.h"
#include "panels/CollectionPanel.h"
#include "panels/ExplainerPanel.h"
#include "panels/LayerPanel.h"
#include "panels/SelectionPanel.h"
#include "sky/Mollweide.h"
#include "state/DisplayUnit.h"
#include "util/Error.h"
#include "views/AnalysisView.h"
#include "views/ColorBar.h"
#include "views/ComparisonView.h"
#include "views/HistogramView.h"
#include "views/ImageView.h"
#include "views/MollweideView.h"
#include "views/SpectrumView.h"
#include "views/ViewRegistry.h"
#include "vtk/SphereView.h"

namespace ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("SkyInterpret"));
  setAcceptDrops(true);
  tabs_ = new QTabWidget(this);
  // The central views, from the view registry; one not available here (the sphere without
  // OpenGL) is left out.
  const ViewHost host{&session_, &jobs_};
  for (const ViewSpec& spec : viewSpecs()) {
    QWidget* view = spec.create(host, tabs_);
    if (!view) continue;
    addView(spec.id, view, QCoreApplication::translate("ui::ViewRegistry", spec.title));
    // Views that report errors or pick pixels are wired by their signals' names.
    const QMetaObject* meta = view->metaObject();
    if (meta->indexOfSignal("errorReported(QString)") >= 0) {
      connect(view, SIGNAL(errorReported(QString)), this, SLOT(reportError(QString)));
    }
    if (meta->indexOfSignal("pixelPicked(qint64)") >= 0) {
      connect(view, SIGNAL(pixelPicked(qint64)), this, SLOT(showPixel(qint64)));
    }
  }
  mollweide_ = qobject_cast<MollweideView*>(view("mollweide"));
  sphere_ = qobject_cast<SphereView*>(view("sphere"));
  image_ = qobject_cast<ImageView*>(view("image"));
  spectrum_ = qobject_cast<SpectrumView*>(view("spectrum"));
  comparison_ = qobject_cast<ComparisonView*>(view("comparison"));
  analyses_ = qobject_cast<AnalysisView*>(view("analyses"));
  setCentralWidget(tabs_);

  layers_ = new LayerPanel(&session_, this);
  connect(layers_, &LayerPanel::errorReported, this, &MainWindow::reportError);
  auto* layerDock = new QDockWidget(tr("Layers"), this);
  layerDock->setWidget(layers_);
  addDockWidget(Qt::LeftDockWidgetArea, layerDock);
  explainer_ = new ExplainerPanel(this);
  auto* explainDock = new QDockWidget(tr("Explain"), this);
  explainDock->setObjectName("explainDock");
  explainDock->setWidget(explainer_);
  addDockWidget(Qt::RightDockWidgetArea, explainDock);
  selection_ = new SelectionPanel(&session_, this);
  connect(selection_, &SelectionPanel::errorReported, this, &MainWindow::reportError);
  auto* selectionDock = new QDockWidget(tr("Selection"), this);
  selectionDock->setObjectName("selectionDock");
  selectionDock->setWidget(selection_);
  addDockWidget(Qt::RightDockWidgetArea, selectionDock);
  tabifyDockWidget(explainDock, selectionDock);
  explainDock->raise();
  collection_ = new CollectionPanel(&session_, &jobs_, this);
  connect(collection_, &CollectionPanel::errorReported, this, &MainWindow::reportError);
  connect(collection_, &CollectionPanel::compareRequested, this, [this](int a, int b) {
    comparison_->setPanelLayer(0, a);
    comparison_->setPanelLayer(1, b);
    tabs_->setCurrentWidget(comparison_);
  });
  collectionDock_ = new QDockWidget(tr("Batch results"), this);
  collectionDock_->setObjectName("collectionDock");
  collectionDock_->setWidget(collection_);
  addDockWidget(Qt::RightDockWidgetArea, collectionDock_);
  tabifyDockWidget(selectionDock, collectionDock_);
  collectionDock_->hide();  // until a batch directory is opened

  readout_ = new QLabel(tr("move the cursor over the sky"), this);
  statusBar()->addWidget(readout_, 1);
  buildLoadProgress();
  session_.setExactModel(QSettings().value("model/exact", false).toBool());  // before the menus show it
  buildMenus();

  connect(mollweide_, &MollweideView::pixelHovered, this, &MainWindow::showPixel);
  connect(&session_, &SkySession::displayProblem, this, &MainWindow::reportError);
  connect(explainer_, &ExplainerPanel::runRequested, this, &MainWindow::runExplainer);
  connect(explainer_, &ExplainerPanel::cancelRequested, this, [this] { jobs_.cancelAll(); });
  connect(&jobs_, &ExplainJobs::progress, this, [this](int id, double f, qlonglong rows, qlonglong total, double eta) {
    if (id == currentJob_) explainer_->showProgress(f, rows, total, eta);
  });
  connect(&jobs_, &ExplainJobs::started, this, [this](int id) { currentJob_ = id; });
  connect(&jobs_, &ExplainJobs::finished, this, &MainWindow::onJobFinished);
  connect(&jobs_, &ExplainJobs::analysisFinished, this, [this] {
    explainer_->showIdle(tr("analysis done"));
    if (jobs_.pending() == 0) emit idle();
  });
  connect(&jobs_, &ExplainJobs::failed, this, [this](int, const QString& message) {
    explainer_->showIdle(tr("failed"));
    reportError(message);
    if (jobs_.pending() == 0) emit idle();
  });
  connect(&jobs_, &ExplainJobs::cancelled, this, [this](int) {
    explainer_->showIdle(tr("cancelled"));
    if (jobs_.pending() == 0) emit idle();
  });
  QSettings settings;
  restoreGeometry(settings.value("window/geometry").toByteArray());
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("Open &map..."), QKeySequence::Open, this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open a HEALPix map"), {}, tr("HEALPix FITS (*.fits *.fit)"));
    if (!path.isEmpty()) openFile(path);
  });
  file->addAction(tr("Open m&odel..."), this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open a TorchScript model"), {}, tr("TorchScript (*.pt)"));
    if (!path.isEmpty()) openFile(path);
  });
  file->addAction(tr("Open &batch results..."), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a skyinterpret-cli batch output directory"));
    if (!dir.isEmpty()) openCollection(dir);
  });
  file->addAction(tr("Open &demo"), this, &MainWindow::openDemo);
  file->addSeparator();
  file->addAction(tr("Open &session..."), this, [this] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open a session"), {}, tr("SkyInterpret session (*.json)"));
    if (!path.isEmpty()) loadSession(path);
  });
  file->addAction(tr("Open session, re-running its explanations..."), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a session and compute its explanations again"), {},
                                                      tr("SkyInterpret session (*.json)"));
    if (!path.isEmpty()) loadSession(path, true);
  });
  file->addAction(tr("Save session &as..."), QKeySequence::SaveAs, this, [this] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save the session"), "session.json", tr("SkyInterpret session (*.json)"));
    if (!path.isEmpty()) saveSession(path);
  });
  QMenu* recent = file->addMenu(tr("&Recent files"));
  connect(recent, &QMenu::aboutToShow, this, [this, recent] {
    recent->clear();
    for (const QString& path : QSettings().value("recentFiles").toStringList()) {
      recent->addAction(path, this, [this, path] { openFile(path); });
    }
  });
  file->addSeparator();
  buildExportMenu(file);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  QMenu* model = menuBar()->addMenu(tr("&Model"));
  QAction* exact = model->addAction(tr("Run the model &exactly as saved"));
  exact->setCheckable(true);
  exact->setChecked(session_.exactModel());
  exact->setObjectName("exactModelAction");
  exact->setToolTip(
      tr("Off: partition and occlusion run an inference-optimised copy of the model (frozen, batch norm "
         "folded, oneDNN; 1.3-3x faster, outputs equal to float32 rounding). On: the module as saved, "
         "bit-identical with PyTorch and shap. Gradient methods always run the module as saved."));
  model->setToolTipsVisible(true);
  connect(exact, &QAction::toggled, this, [this](bool on) {
    QSettings().setValue("model/exact", on);
    try {
      session_.setExactModel(on);
    } catch (const sky::SkyError& e) {
      reportError(QString::fromStdString(e.what()));
    }
  });
  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* reset = view->addAction(tr("&Reset view"), this, [this] {
    mollweide_->resetView();
    if (sphere_) sphere_->resetCamera();
  });
  reset->setToolTip(tr("Back to the whole sky: Mollweide unzoomed, sphere facing (l, b) = (0, 0)"));
  QAction* labels = view->addAction(tr("&Graticule labels"), mollweide_, &MollweideView::setGraticuleLabels);
  labels->setCheckable(true);
  labels->setChecked(mollweide_->graticuleLabels());
  labels->setToolTip(tr("Write the latitudes and longitudes of the Mollweide graticule (degrees)"));
  QToolBar* tools = addToolBar(tr("View"));
  tools->setObjectName("viewToolBar");
  tools->addAction(reset);
  buildSelectionTools(tools);
}

bool MainWindow::loadSession(const QString& path, bool rerun) {
  auto* loader = new SessionLoader(*this, this);
  connect(loader, &SessionLoader::finished, this, [this, loader, path](const QStringList& problems) {
    loader->deleteLater();
    if (!problems.isEmpty())
      reportError(tr("%1 was opened with problems:\n%2").arg(path, problems.join("\n")));
    else
      statusBar()->showMessage(tr("opened %1").arg(path), 5000);
    emit sessionLoaded(problems);
  });
  try {
    loader->load(path, rerun);
    rememberRecent(path);
    return true;
  } catch (const sky::SkyError& e) {
    loader->deleteLater();
    reportError(QString::fromStdString(e.what()));
    return false;
  }
}

bool MainWindow::saveSession(const QString& path) {
  try {
    ui::saveSession(*this, path);
    statusBar()->showMessage(tr("saved %1").arg(path), 5000);
    return true;
  } catch (const sky::SkyError& e) {
    reportError(QString::fromStdString(e.what()));
    return false;
  }
}

QStringList MainWindow::figureViews() { return figureViewIds(); }

QWidget* MainWindow::view(const QString& id) const {
  for (const auto& [viewId, widget] : views_) {
    if (viewId == id) return widget;
  }
  return nullptr;
}

void MainWindow::addView(const QString& id, QWidget* view, const QString& title) {
  tabs_->addTab(view, title);
  views_.emplace_back(id, view);
}

QStringList MainWindow::viewIds() const {
  QStringList ids;
  for (const auto& [id, view] : views_) ids << id;
  return ids;
}

bool MainWindow::showView(const QString& id) {
  for (const auto& [viewId, view] : views_) {
    if (viewId == id) {
      tabs_->setCurrentWidget(view);
      return true;
    }
  }
  return false;
}

QString MainWindow::currentViewId() const {
  for (const auto& [id, view] : views_) {
    if (view == tabs_->currentWidget()) return id;
  }
  return "mollweide";
}

FigurePainter MainWindow::figurePainter(const QString& id) {
  const ViewSpec* spec = findViewSpec(id);
  if (!spec || !spec->paintFigure) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument,
                        "unknown view '" + id.toStdString() + "' (" + figureViewIds().join(", ").toStdString() + ")");
  }
  QWidget* widget = view(id);
  if (!widget) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument, "the " + id.toStdString() + " figure is not available here: " +
                                                             spec->unavailable.toStdString());
  }
  return [widget, paint = spec->paintFigure](QPainter& p, const QRect& r, double scale) { paint(widget, p, r, scale); };
}

void MainWindow::exportFigure(const QString& id, const QString& path, const FigureOptions& options) {
  FigurePainter paint = figurePainter(id);
  if (const ViewSpec* spec = findViewSpec(id); spec->prepareFigure) spec->prepareFigure(view(id));
  ui::exportFigure(paint, path, options);
}

bool MainWindow::settled() const {
  for (const auto& [id, widget] : views_) {
    const ViewSpec* spec = findViewSpec(id);
    if (spec && spec->computing && spec->computing(widget)) return false;
  }
  return jobs_.pending() == 0 && !loader_.busy() && !session_.displayPending() && !session_.selectionMaskPending() &&
         !selection_->computing() && !selection_->histogram()->computing();
}

// Reading a map: a progress bar and a Cancel button in the status bar while any load runs.
void MainWindow::buildLoadProgress() {
  loadProgress_ = new QProgressBar(this);
  loadProgress_->setRange(0, 1000);
  loadProgress_->setMaximumWidth(220);
  loadProgress_->setTextVisible(true);
  loadCancel_ = new QToolButton(this);
  loadCancel_->setText(tr("Cancel"));
  loadCancel_->setToolTip(tr("Stop reading the map"));
  statusBar()->addPermanentWidget(loadProgress_);
  statusBar()->addPermanentWidget(loadCancel_);
  loadProgress_->hide();
  loadCancel_->hide();
  connect(loadCancel_, &QToolButton::clicked, &loader_, &MapLoader::cancel);
  connect(&loader_, &MapLoader::progress, this, [this](int, const QString& path, double fraction) {
    loadProgress_->setValue(static_cast<int>(fraction * 1000));
    loadProgress_->setFormat(tr("reading %1: %p%").arg(QFileInfo(path).fileName()));
  });
  const auto showBusy = [this] {
    loadProgress_->setVisible(loader_.busy());
    loadCancel_->setVisible(loader_.busy());
    if (!loader_.busy()) loadProgress_->setValue(0);
  };
  connect(&loader_, &MapLoader::loaded, this, &MainWindow::onMapLoaded);
  connect(&loader_, &MapLoader::failed, this, [this](int id, const QString& path, const QString& message) {
    if (openRequests_.erase(id) == 0) return;
    reportError(message);
    emit openFailed(path);
  });
  connect(&loader_, &MapLoader::cancelled, this, [this](int id, const QString& path) {
    if (openRequests_.erase(id) == 0) return;
    statusBar()->showMessage(tr("stopped reading %1").arg(path), 5000);
    emit openFailed(path);
  });
  // Queued: after busy() has changed.
  connect(&loader_, &MapLoader::loaded, this, showBusy, Qt::QueuedConnection);
  connect(&loader_, &MapLoader::failed, this, showBusy, Qt::QueuedConnection);
  connect(&loader_, &MapLoader::cancelled, this, showBusy, Qt::QueuedConnection);
}

void MainWindow::onMapLoaded(int id, const LoadedMap& map) {
  if (openRequests_.erase(id) == 0) return;  // a session's load: SessionLoader takes it
  const int first = session_.addLoadedMap(map);
  rememberRecent(map.path);
  statusBar()->showMessage(map.warnings.isEmpty() ? tr("opened %1").arg(map.path) : map.warnings.join("; "), 8000);
  if (const QString mismatch = session_.modelMapMismatch(); !mismatch.isEmpty()) reportError(mismatch);
  emit mapOpened(first);
}

void MainWindow::buildExportMenu(QMenu* file) {
  auto guarded = [this](auto&& action) {
    try {
      action();
    } catch (const sky::SkyError& e) {
      reportError(QString::fromStdString(e.what()));
    }
  };
  file->addAction(tr("Export &figure..."), this, [this, guarded] {
    const QString view = currentViewId();
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the %1 view as a figure").arg(view), view + ".pdf",
                                     tr("PDF (*.pdf);;SVG (*.svg);;PNG, 300 dpi (*.png)"));
    if (path.isEmpty()) return;
    FigureOptions o;
    o.size = tabs_->currentWidget()->size();
    o.dpi = 300;
    guarded([&] { exportFigure(view, path, o); });
    statusBar()->showMessage(tr("wrote %1").arg(path), 5000);
  });
  QMenu* dataMenu = file->addMenu(tr("Export &data"));
  dataMenu->addAction(tr("Attribution maps (FITS)..."), this, [this, guarded] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Attribution maps of the current map"),
                                                      "attributions.fits", tr("HEALPix FITS (*.fits)"));
    if (!path.isEmpty())
      guarded([&] { exportAttributionFits(session_, session_.sourceMapOf(session_.currentIndex()), path); });
  });
  dataMenu->addAction(tr("Spectra (CSV)..."), this, [this, guarded] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Spectra as plotted"), "spectra.csv", tr("CSV (*.csv)"));
    if (!path.isEmpty()) guarded([&] { exportSpectraCsv(spectrum_->curves(), spectrum_->showsDl(), path); });
  });
  dataMenu->addAction(tr("Comparison metrics (CSV)..."), this, [this, guarded] {
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Comparison metrics"), "comparison.csv", tr("CSV (*.csv)"));
    if (!path.isEmpty()) guarded([&] { exportComparisonCsv(*comparison_, path); });
  });
  dataMenu->addAction(tr("Model input image (NPY)..."), this, [this, guarded] {
    const QString path = QFileDialog::getSaveFileName(this, tr("The model input of the current map"), "model_input.npy",
                                                      tr("NumPy (*.npy)"));
    if (!path.isEmpty())
      guarded([&] { exportImageNpy(session_.modelInputFor(session_.sourceMapOf(session_.currentIndex())), path); });
  });
  dataMenu->addAction(tr("Attribution image (NPY)..."), this, [this, guarded] {
    const QString path = QFileDialog::getSaveFileName(this, tr("The attribution image (model-input grid)"),
                                                      "attribution.npy", tr("NumPy (*.npy)"));
    if (path.isEmpty()) return;
    guarded([&] {
      const Layer* a = session_.attributionFor(session_.currentIndex());
      if (!a || !a->image)
        throw sky::SkyError(sky::ErrorKind::InvalidArgument, "the current map has no attribution image yet");
      exportImageNpy(a->image, path);
    });
  });
}

void MainWindow::buildSelectionTools(QToolBar* tools) {
  tools->addSeparator();
  auto* group = new QActionGroup(this);
  const struct {
    SelectionTool tool;
    const char* label;
    const char* tip;
  } kinds[] = {{SelectionTool::Navigate, "Navigate", "Drag moves the view (pan, rotate)"},
               {SelectionTool::Disc, "Disc", "Drag from a centre outwards: a disc (a cap on the sphere)"},
               {SelectionTool::Rectangle, "Rectangle", "Drag a rectangle on the Mollweide or model-input view"},
               {SelectionTool::Lasso, "Lasso", "Draw around a region on the Mollweide or model-input view"}};
  for (const auto& k : kinds) {
    QAction* a = tools->addAction(tr(k.label));
    a->setToolTip(tr(k.tip));
    a->setCheckable(true);
    a->setChecked(k.tool == session_.tool());
    a->setObjectName(QString("tool") + k.label);
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, tool = k.tool] { session_.setTool(tool); });
  }
  auto* mode = new QComboBox(this);
  mode->setObjectName("selectionMode");
  for (auto m : {sky::SelectionMode::Replace, sky::SelectionMode::Add, sky::SelectionMode::Intersect,
                 sky::SelectionMode::Subtract, sky::SelectionMode::Toggle}) {
    mode->addItem(QString::fromUtf8(sky::selectionModeName(m)), static_cast<int>(m));
  }
  mode->setToolTip(tr("How a new region combines with the selection"));
  connect(mode, &QComboBox::currentIndexChanged, this,
          [this, mode] { session_.setSelectionMode(static_cast<sky::SelectionMode>(mode->currentData().toInt())); });
  tools->addWidget(mode);
}

void MainWindow::reportError(const QString& message) {
  statusBar()->showMessage(message, 10000);
  emit errorReported(message);
  if (errorDialogs_) QMessageBox::warning(this, tr("SkyInterpret"), message);
}

void MainWindow::rememberRecent(const QString& path) {
  QSettings settings;
  QStringList list = settings.value("recentFiles").toStringList();
  list.removeAll(path);
  list.prepend(QFileInfo(path).absoluteFilePath());
  settings.setValue("recentFiles", list.mid(0, 10));
}

bool MainWindow::openCollection(const QString& directory) {
  try {
    collection_->open(directory);
    // The batch's model, so its results can be explained further; an open model is kept.
    const QString model = QString::fromStdString(collection_->collection()->settings.model);
    if (!session_.model() && QFileInfo::exists(model)) session_.openModel(model);
    // An empty window shows the first result rather than nothing.
    const auto& entries = collection_->collection()->entries;
    const auto firstOk = std::find_if(entries.begin(), entries.end(), [](const auto& e) { return e.record.ok(); });
    if (session_.layers().empty() && firstOk != entries.end())
      collection_->showEntry(static_cast<int>(firstOk - entries.begin()));
    collectionDock_->show();
    collectionDock_->raise();
    rememberRecent(directory);
    statusBar()->showMessage(tr("opened the batch results in %1").arg(directory), 5000);
    return true;
  } catch (const sky::SkyError& e) {
    reportError(QString::fromStdString(e.what()));
  }
  return false;
}

bool MainWindow::openFile(const QString& path) {
  if (QFileInfo(path).isDir()) return openCollection(path);
  try {
    if (path.endsWith(".json")) return loadSession(path);
    if (!path.endsWith(".pt")) {
      sky::requireReadableFile(path.toStdString(), "map file");  // the plain mistakes at once
      openRequests_.insert(loader_.load(path));
      loadProgress_->show();
      loadCancel_->show();
      return true;
    }
    session_.openModel(path);
    rememberRecent(path);
    if (const QString mismatch = session_.modelMapMismatch(); !mismatch.isEmpty()) reportError(mismatch);
    return true;
  } catch (const sky::SkyError& e) {
    reportError(QString::fromStdString(e.what()));
  } catch (const std::exception& e) {
    reportError(tr("%1: %2").arg(path, QString::fromStdString(e.what())));
  }
  return false;
}

void MainWindow::openDemo() {
  try {
    session_.openDemo();
  } catch (const sky::SkyError& e) {
    reportError(QString::fromStdString(e.what()));
    return;
  }
  // Two explanations of the feature sky, so the comparison tab has something to compare.
  explainer_->setMethod("gradient-shap");
  runExplainer();
  explainer_->setMethod("integrated-gradients");
  runExplainer();
}

int MainWindow::runExplainer() {
  ExplainRequest r = explainer_->request();
  try {
    int index = session_.currentIndex();
    const Layer* l = session_.layer(index);
    if (l && l->kind == Layer::Kind::Attribution) index = l->sourceLayer;  // explain the map under it
    r.input = session_.modelInputFor(index);
    r.model = session_.model();
    r.sourceLayer = index;
    r.nside = session_.layer(index)->map->nside();
  } catch (const sky::SkyError& e) {
    reportError(QString::fromStdString(e.what()));
    return -1;
  }
  explainer_->showIdle(tr("queued"));
  explainer_->cancelButton()->setEnabled(true);
  return jobs_.submit(std::move(r));
}

int MainWindow::addAttributionLayers(const ExplainResult& result) {
  const Layer* source = session_.layer(result.request.sourceLayer);
  const QString sourceName = source ? source->name : tr("map");
  const std::vector<std::string>& channels =
      result.request.model ? result.request.model->card().channels : std::vector<std::string>{};
  // One layer per input channel (T, Q, U): each can be shown, compared and selected on.
  const int count = result.healpix->fieldCount();
  int first = -1;
  for (int c = 0; c < count; ++c) {
    Layer l;
    l.kind = Layer::Kind::Attribution;
    l.name = tr("%1 of %2").arg(result.request.method, sourceName);
    l.parameters = result.request.parameters();
    if (count > 1) {
      const QString channel =
          c < static_cast<int>(channels.size()) ? QString::fromStdString(channels[c]) : QString::number(c);
      l.name += QString(" [%1]").arg(channel);
      l.parameters["channel"] = channel;  // names the field in exported files
    }
    l.map = fieldOf(result.healpix, c);
    if (c < static_cast<int>(result.scales.size()))
      session_.primeColorScale(l.map.get(), result.scales[static_cast<size_t>(c)]);
    l.image = result.image;
    l.channel = c;
    l.colormap = "rdbu_r";
    l.symmetric = true;
    l.sourceLayer = result.request.sourceLayer;
    l.method = result.request.method;
    const int index = session_.addLayer(std::move(l));
    if (first < 0) first = index;
  }
  return first;
}

void MainWindow::onJobFinished(int, const ExplainResult& result) {
  addAttributionLayers(result);
  explainer_->showIdle(tr("done: %1 model rows in %2 s")
                           .arg(result.attribution->modelRowsEvaluated)
                           .arg(result.attribution->seconds, 0, 'f', 2),
                       tr("model: %1").arg(result.modelForward));
  // An optimised copy that failed or disagreed is worth a word: the run used the saved module.
  if (result.modelForward.startsWith("exact (the"))
    statusBar()->showMessage(tr("model: %1").arg(result.modelForward), 15000);
  if (jobs_.pending() == 0) emit idle();
}

void MainWindow::showPixel(qint64 pixel) {
  const Layer* current = session_.layer(session_.currentIndex());
  if (pixel < 0 || !current || !current->map) {
    readout_->setText(tr("outside the sky"));
    return;
  }
  const sky::SkyDirection d = sky::ringPixelCentre(current->map->nside(), pixel);
  const double deg = 180.0 / std::numbers::pi;
  QString text = tr("pixel %1   theta %2 deg  phi %3 deg   l %4 deg  b %5 deg")
                     .arg(pixel)
                     .arg(d.theta * deg, 0, 'f', 2)
                     .arg(d.phi * deg, 0, 'f', 2)
                     .arg(d.phi * deg, 0, 'f', 2)
                     .arg(90.0 - d.theta * deg, 0, 'f', 2);
  for (const auto& l : session_.layers()) {
    if (!l.visible || !l.map || l.map->nside() != current->map->nside()) continue;
    const DisplayUnit unit = displayUnitOf(l);
    text += QString("   | %1: %2 %3").arg(l.name, formatValue(unit.toDisplay(l.map->field(0)[pixel])), unit.label);
  }
  readout_->setText(text);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  for (const QUrl& url : e->mimeData()->urls()) openFile(url.toLocalFile());
}

void MainWindow::closeEvent(QCloseEvent* e) {
  jobs_.cancelAll();
  QSettings().setValue("window/geometry", saveGeometry());
  QMainWindow::closeEvent(e);
}

}  // namespace ui
