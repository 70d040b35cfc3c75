// skyinterpret: the desktop application.
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>
#include <QTabWidget>
#include <QTimer>
#include <cstring>
#include <functional>
#include <iostream>

#include "LatencyProbe.h"
#include "MainWindow.h"
#include "util/Error.h"
#include "util/ProcessMemory.h"
#include "views/ViewRegistry.h"
#include "vtk/VtkOpenGLWidget.h"

namespace {

// A 2D figure needs no display: without one, Qt's offscreen platform draws it. Decided before
// the QApplication exists.
void chooseHeadlessPlatform(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--export-figure") == 0 && std::strcmp(argv[i + 1], "sphere") != 0 &&
        qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
      qputenv("QT_QPA_PLATFORM", "offscreen");
    }
  }
}

// QGuiApplication takes "--session ID" for X11 session management and removes it from argv, so
// our --session FILE is taken out before the application sees it.
QString takeSessionArgument(int& argc, char** argv) {
  QString file;
  for (int i = 1; i < argc; ++i) {
    int used = 0;
    if (std::strcmp(argv[i], "--session") == 0 && i + 1 < argc) {
      file = QString::fromLocal8Bit(argv[i + 1]);
      used = 2;
    } else if (std::strncmp(argv[i], "--session=", 10) == 0) {
      file = QString::fromLocal8Bit(argv[i] + 10);
      used = 1;
    }
    if (used == 0) continue;
    for (int k = i; k + used <= argc; ++k) argv[k] = argv[k + used];
    argc -= used;
    --i;
  }
  return file;
}

// Runs `then` once the start-up work (demo runs, a session's runs, spectra) has finished.
void whenSettled(ui::MainWindow& window, const bool& startupDone, const std::function<void()>& then) {
  auto* poll = new QTimer(&window);
  QObject::connect(poll, &QTimer::timeout, &window, [&window, &startupDone, poll, then] {
    if (!startupDone || !window.settled()) return;
    poll->stop();
    poll->deleteLater();
    QTimer::singleShot(300, &window, then);  // let the views paint once more
  });
  poll->start(50);
}

int exitCodeOf(const sky::SkyError& e) { return static_cast<int>(e.kind()); }

}  // namespace

int main(int argc, char** argv) {
  sky::configureProcessMemory(argc, argv);
  chooseHeadlessPlatform(argc, argv);
  const QString sessionFile = takeSessionArgument(argc, argv);
  ui::VtkOpenGLWidget::configureSurfaceFormat();  // before the QApplication exists
  QApplication app(argc, argv);
  QApplication::setApplicationName("SkyInterpret");
  QApplication::setOrganizationName("SkyInterpret");
  QApplication::setApplicationVersion(SKY_VERSION);
  QCommandLineParser parser;
  parser.setApplicationDescription("See what a CMB sky-map classifier has learned.");
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption demo("demo", "Open the demo session (also on first launch).");
  const QCommandLineOption session("session", "Open a saved session (JSON).", "FILE");
  const QCommandLineOption screenshot("screenshot",
                                      "Open, wait until the views have drawn, save a PNG of the window, exit.", "PATH");
  // View names come from the view registry (ui/views/ViewRegistry.h).
  QStringList viewNames;
  for (const auto& spec : ui::viewSpecs()) viewNames << spec.id;
  const QCommandLineOption view("view", "The view to show first: " + viewNames.join(", ") + ".", "NAME", "mollweide");
  const QCommandLineOption exportFigure("export-figure",
                                        "Render VIEW (" + ui::figureViewIds().join(", ") +
                                            ") to OUT (.png, .svg, .pdf) and exit. Give the view and the output path: "
                                            "--export-figure VIEW OUT.",
                                        "VIEW");
  const QCommandLineOption dpi("dpi", "PNG figures: dots per inch (default 300).", "N", "300");
  const QCommandLineOption size("size", "Figure size in points, WxH (default 1200x700).", "WxH", "1200x700");
  const QCommandLineOption force("force", "Overwrite an existing figure file.");
  const QCommandLineOption latency(
      "report-latency",
      "At exit, print the worst event-loop stall, the first sky paint and the peak memory (benchmarks).");
  for (const auto& o : {demo, session, screenshot, view, exportFigure, dpi, size, force, latency}) parser.addOption(o);
  parser.addPositionalArgument(
      "files",
      "HEALPix maps (.fits), TorchScript models (.pt), sessions (.json) and batch output directories to open.");
  parser.process(app);

  QStringList files = parser.positionalArguments();
  QString figurePath;
  ui::FigureOptions figure;
  if (parser.isSet(exportFigure)) {
    if (files.isEmpty()) {
      std::cerr << "skyinterpret: --export-figure needs VIEW and OUT (e.g. --export-figure mollweide fig.pdf)\n";
      return 2;
    }
    figurePath = files.takeLast();
    if (!ui::MainWindow::figureViews().contains(parser.value(exportFigure))) {
      std::cerr << "skyinterpret: unknown view '" << parser.value(exportFigure).toStdString() << "' ("
                << ui::figureViewIds().join(", ").toStdString() << ")\n";
      return 2;
    }
    if (sessionFile.isEmpty() && !parser.isSet(demo)) {
      std::cerr << "skyinterpret: --export-figure needs --session FILE or --demo\n";
      return 2;
    }
    if (QFileInfo::exists(figurePath) && !parser.isSet(force)) {
      std::cerr << "skyinterpret: " << figurePath.toStdString() << " exists; use --force to overwrite it\n";
      return static_cast<int>(sky::ErrorKind::OutputExists);
    }
    const QStringList wh = parser.value(size).split('x');
    bool okW = false, okH = false, okDpi = false;
    if (wh.size() == 2) figure.size = QSize(wh[0].toInt(&okW), wh[1].toInt(&okH));
    figure.dpi = parser.value(dpi).toInt(&okDpi);
    if (!okW || !okH || !okDpi) {
      std::cerr << "skyinterpret: --size is WxH in points and --dpi a whole number\n";
      return 2;
    }
  }

  ui::MainWindow window;
  window.resize(1400, 860);
  if (parser.isSet(latency)) new LatencyProbe(window);  // owned by the window; reports when it goes
  const bool scripted = parser.isSet(screenshot) || parser.isSet(exportFigure);
  if (scripted) window.setErrorDialogs(false);
  QObject::connect(&window, &ui::MainWindow::errorReported, [scripted](const QString& message) {
    if (scripted) std::cerr << "skyinterpret: " << message.toStdString() << "\n";
  });
  window.show();
  QSettings settings;
  const bool firstLaunch = !settings.value("launchedBefore").toBool();
  settings.setValue("launchedBefore", true);
  bool ok = true;
  QObject::connect(&window, &ui::MainWindow::openFailed, [&ok] { ok = false; });  // maps are read in the background
  for (const QString& file : files) ok = window.openFile(file) && ok;
  bool startupDone = true;
  if (!sessionFile.isEmpty()) {
    startupDone = false;
    QObject::connect(&window, &ui::MainWindow::sessionLoaded, &window, [&startupDone] { startupDone = true; });
    if (!window.loadSession(sessionFile)) return static_cast<int>(sky::ErrorKind::FileNotFound);
  } else if (parser.isSet(demo) || (firstLaunch && files.isEmpty())) {
    window.openDemo();
    if (window.jobs().pending() > 0) {
      startupDone = false;
      QObject::connect(&window, &ui::MainWindow::idle, &window, [&startupDone] { startupDone = true; });
    }
  }
  const QStringList views = window.viewIds();
  const QString first = parser.isSet(exportFigure) ? parser.value(exportFigure) : parser.value(view);
  if (!views.contains(first)) {
    std::cerr << "skyinterpret: the view '" << first.toStdString() << "' is not available here ("
              << views.join(", ").toStdString() << "; the sphere needs an OpenGL display, e.g. xvfb-run)\n";
    return 2;
  }
  if (sessionFile.isEmpty()) window.showView(first);
  if (parser.isSet(exportFigure)) {
    whenSettled(window, startupDone, [&] {
      window.showView(first);
      QApplication::processEvents();
      try {
        window.exportFigure(first, figurePath, figure);
        app.exit(ok ? 0 : 1);
      } catch (const sky::SkyError& e) {
        std::cerr << "skyinterpret: " << e.what() << "\n";
        app.exit(exitCodeOf(e));
      }
    });
  } else if (parser.isSet(screenshot)) {
    const QString path = parser.value(screenshot);
    whenSettled(window, startupDone, [&window, &app, path, &ok] { app.exit(window.grab().save(path) && ok ? 0 : 1); });
  }
  if (scripted) QTimer::singleShot(300000, &app, [&app] { app.exit(124); });  // never hang a script
  return app.exec();
}
