#include "MainWindow.h"

#include <QApplication>
#include <QGuiApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QActionGroup>
#include <QComboBox>
#include <numbers>

#include "panels/ExplainerPanel.h"
#include "panels/LayerPanel.h"
#include "panels/SelectionPanel.h"
#include "sky/Mollweide.h"
#include "util/Error.h"
#include "views/ColorBar.h"
#include "views/ComparisonView.h"
#include "views/ImageView.h"
#include "views/MollweideView.h"
#include "views/SpectrumView.h"
#include "vtk/SphereView.h"

namespace ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("SkyInterpret"));
  setAcceptDrops(true);
  tabs_ = new QTabWidget(this);
  mollweide_ = new MollweideView(&session_, tabs_);
  image_ = new ImageView(&session_, tabs_);
  spectrum_ = new SpectrumView(&session_, tabs_);
  tabs_->addTab(mollweide_, tr("Mollweide"));
  // QOpenGLWidget needs a real GL platform (the offscreen one cannot host it).
  if (QGuiApplication::platformName() != "offscreen") {
    sphere_ = new SphereView(&session_, tabs_);
    tabs_->addTab(sphere_, tr("Sphere"));
    connect(sphere_, &SphereView::pixelPicked, this, &MainWindow::showPixel);
  }
  tabs_->addTab(image_, tr("Model input"));
  tabs_->addTab(spectrum_, tr("Spectrum"));
  comparison_ = new ComparisonView(&session_, tabs_);
  connect(comparison_, &ComparisonView::errorReported, this, &MainWindow::reportError);
  tabs_->addTab(comparison_, tr("Compare"));
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

  readout_ = new QLabel(tr("move the cursor over the sky"), this);
  statusBar()->addWidget(readout_, 1);
  buildMenus();

  connect(mollweide_, &MollweideView::pixelHovered, this, &MainWindow::showPixel);
  connect(explainer_, &ExplainerPanel::runRequested, this, &MainWindow::runExplainer);
  connect(explainer_, &ExplainerPanel::cancelRequested, this, [this] { jobs_.cancelAll(); });
  connect(&jobs_, &ExplainJobs::progress, this, [this](int id, double f, qlonglong rows, qlonglong total, double eta) {
    if (id == currentJob_) explainer_->showProgress(f, rows, total, eta);
  });
  connect(&jobs_, &ExplainJobs::started, this, [this](int id) { currentJob_ = id; });
  connect(&jobs_, &ExplainJobs::finished, this, &MainWindow::onJobFinished);
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
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a HEALPix map"), {}, tr("HEALPix FITS (*.fits *.fit)"));
    if (!path.isEmpty()) openFile(path);
  });
  file->addAction(tr("Open m&odel..."), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a TorchScript model"), {}, tr("TorchScript (*.pt)"));
    if (!path.isEmpty()) openFile(path);
  });
  file->addAction(tr("Open &demo"), this, &MainWindow::openDemo);
  QMenu* recent = file->addMenu(tr("&Recent files"));
  connect(recent, &QMenu::aboutToShow, this, [this, recent] {
    recent->clear();
    for (const QString& path : QSettings().value("recentFiles").toStringList()) {
      recent->addAction(path, this, [this, path] { openFile(path); });
    }
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);
  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* reset = view->addAction(tr("&Reset view"), this, [this] {
    mollweide_->resetView();
    if (sphere_) sphere_->resetCamera();
  });
  reset->setToolTip(tr("Back to the whole sky: Mollweide unzoomed, sphere facing (l, b) = (0, 0)"));
  QToolBar* tools = addToolBar(tr("View"));
  tools->setObjectName("viewToolBar");
  tools->addAction(reset);
  buildSelectionTools(tools);
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
  for (auto m : {sky::SelectionMode::Replace, sky::SelectionMode::Add, sky::SelectionMode::Intersect, sky::SelectionMode::Subtract,
                 sky::SelectionMode::Toggle}) {
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

bool MainWindow::openFile(const QString& path) {
  try {
    if (path.endsWith(".pt")) session_.openModel(path);
    else session_.openMap(path);
    rememberRecent(path);
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

void MainWindow::onJobFinished(int, const ExplainResult& result) {
  const Layer* source = session_.layer(result.request.sourceLayer);
  Layer l;
  l.kind = Layer::Kind::Attribution;
  l.name = tr("%1 of %2").arg(result.request.method, source ? source->name : tr("map"));
  l.map = result.healpix;
  l.image = result.image;
  l.colormap = "rdbu_r";
  l.symmetric = true;
  l.sourceLayer = result.request.sourceLayer;
  session_.addLayer(std::move(l));
  explainer_->showIdle(tr("done: %1 model rows in %2 s")
                           .arg(result.attribution->modelRowsEvaluated)
                           .arg(result.attribution->seconds, 0, 'f', 2));
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
    text += QString("   | %1: %2").arg(l.name, formatValue(l.map->field(0)[pixel]));
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
