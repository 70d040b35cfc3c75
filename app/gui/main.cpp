// skyinterpret: the desktop application.
#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTabWidget>
#include <QTimer>

#include "MainWindow.h"
#include "vtk/VtkOpenGLWidget.h"
#include "util/ProcessMemory.h"

int main(int argc, char** argv) {
  sky::configureProcessMemory(argc, argv);
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
  const QCommandLineOption screenshot("screenshot", "Open, wait until the views have drawn, save a PNG of the window, exit.",
                                      "PATH");
  const QCommandLineOption view("view", "The view to show first: mollweide, sphere, image or spectrum.", "NAME", "mollweide");
  parser.addOption(view);
  parser.addOption(demo);
  parser.addOption(screenshot);
  parser.addPositionalArgument("files", "HEALPix maps (.fits) and TorchScript models (.pt) to open.");
  parser.process(app);

  ui::MainWindow window;
  window.resize(1400, 860);
  if (parser.isSet(screenshot)) window.setErrorDialogs(false);
  window.show();
  QSettings settings;
  const bool firstLaunch = !settings.value("launchedBefore").toBool();
  settings.setValue("launchedBefore", true);
  bool ok = true;
  for (const QString& file : parser.positionalArguments()) ok = window.openFile(file) && ok;
  const bool openDemo = parser.isSet(demo) || (firstLaunch && parser.positionalArguments().isEmpty());
  if (openDemo) window.openDemo();
  QStringList views;
  for (int i = 0; i < window.views()->count(); ++i) views << window.views()->tabText(i).toLower().remove(' ');
  views.replace(views.indexOf("modelinput"), "image");
  if (!views.contains(parser.value(view))) {
    qCritical("unknown --view '%s' (here: %s)", qPrintable(parser.value(view)), qPrintable(views.join(", ")));
    return 2;
  }
  window.views()->setCurrentIndex(static_cast<int>(views.indexOf(parser.value(view))));
  if (parser.isSet(screenshot)) {
    const QString path = parser.value(screenshot);
    auto save = [&window, &app, path, ok] {
      QTimer::singleShot(300, &window, [&window, &app, path, ok] {
        const bool saved = window.grab().save(path);
        app.exit(saved && ok ? 0 : 1);
      });
    };
    if (openDemo && window.jobs().pending() > 0) QObject::connect(&window, &ui::MainWindow::idle, &window, save);
    else save();
    QTimer::singleShot(120000, &app, [&app] { app.exit(2); });  // never hang a script
  }
  return app.exec();
}
