// One explainer registry (core/explain/ExplainerRegistry.h) feeds the CLI, its man page, batch
// settings and the app's form: an explainer registered here appears in all of them, and every
// method gives the same attributions from the CLI and from the app at default settings.
#include <QComboBox>
#include <QSpinBox>
#include <QtTest>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "Arguments.h"
#include "ExplainerOptions.h"
#include "io/Npy.h"
#include "jobs/ExplainJobs.h"
#include "model/Model.h"
#include "panels/ExplainerPanel.h"
#include "state/SkySession.h"

namespace {

// A method that attributes `level` to every pixel: enough to see it travel through every surface.
sky::Explainer constantExplainer() {
  sky::Explainer e("test-constant", "Test constant", "every pixel gets --test-level");
  sky::ExplainerParameter level("test-level", sky::ParameterKind::Integer, "7", "the value every pixel gets", 0, 100);
  level.metavar = "N";
  e.parameters = {level};
  e.run = [](sky::Model& model, const sky::ImageBatch& batch, const sky::ExplainerArguments& a, sky::Progress&) {
    sky::Attribution out;
    out.shape = batch.shape;
    out.images = batch.count;
    out.targetsPerImage = 1;
    out.targetIndex.assign(static_cast<size_t>(batch.count), 0);
    out.outputNames = model.outputNames();
    out.values.assign(static_cast<size_t>(batch.count * batch.shape.size()), a.integer("test-level"));
    out.baseValues.assign(static_cast<size_t>(batch.count), 0.0);
    out.outputs.assign(static_cast<size_t>(batch.count), 0.0);
    return out;
  };
  return e;
}

struct Run {
  int exitCode;
  std::string output;
};
Run shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  Run r{-1, {}};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  const int status = pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

double relativeError(const std::vector<double>& a, const std::vector<double>& b) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    diff = std::max(diff, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

}  // namespace

class ExplainerRegistryTest : public QObject {
  Q_OBJECT
 private slots:
  // The demo sky's model input explained by the app (its form's defaults, its job function)
  // and by `skyinterpret-cli explain` with no options: the same numbers for every method.
  void everyMethodGivesTheSameAttributionsFromTheCliAndTheApp() {
    ui::SkySession session;
    session.openDemo();
    const auto input = session.modelInputFor(1);
    QVERIFY(input && session.model());
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "sky-registry-test";
    std::filesystem::create_directories(dir);
    const std::vector<double> pixels(input->data().begin(), input->data().end());
    sky::writeNpy(dir / "x.npy",
                  {1, static_cast<size_t>(input->channels()), static_cast<size_t>(input->height()),
                   static_cast<size_t>(input->width())},
                  std::span<const double>(pixels), sky::Overwrite::Allow);
    ui::ExplainerPanel panel;
    for (const auto& e : sky::explainers()) {
      const QString method = QString::fromStdString(e.name);
      panel.setMethod(method);
      ui::ExplainRequest r = panel.request();
      r.input = input;
      r.model = session.model();
      r.nside = 16;
      const ui::ExplainResult app = ui::runExplainRequest(r, nullptr, [](double, long long, long long, double) {});
      const std::string out = (dir / (e.name + ".npy")).string();
      const Run cli =
          shell(std::string(SKY_CLI_PATH) + " explain --model " SKY_SOURCE_RESOURCES "/demo/demo_model.pt --input " +
                (dir / "x.npy").string() + " --no-preprocess --method " + e.name + " --force -o " + out);
      QVERIFY2(cli.exitCode == 0, cli.output.c_str());
      const sky::NpyArray fromCli = sky::readNpy(out);
      QCOMPARE(fromCli.values.size(), app.attribution->values.size());
      const double err = relativeError(fromCli.values, app.attribution->values);
      qInfo("%s: CLI and app differ by %.2e of max|value|", e.name.c_str(), err);
      QVERIFY2(err == 0.0,
               qPrintable(QString("%1 differs by %2").arg(method).arg(err)));  // the same code: the same bits
    }
    std::filesystem::remove_all(dir);
  }

  void aRegisteredExplainerAppearsInTheCliTheManPageBatchAndTheForm() {
    sky::registerExplainer(constantExplainer());
    // CLI: --help (and `explain --help`) list it with its option and default...
    const std::string help = cli::methodsHelp();
    QVERIFY(help.find("  test-constant\n") != std::string::npos);
    QVERIFY(help.find("--test-level N: the value every pixel gets (default 7)") != std::string::npos);
    QVERIFY(cli::methodNames().find("|test-constant") != std::string::npos);
    // ...explain, aggregate and batch accept the option (batch records it with the settings)...
    QVERIFY(cli::explainerValuedOptions().count("test-level") == 1);
    std::set<std::string> valued = cli::explainerValuedOptions();
    valued.insert("method");
    const cli::Arguments args({"--method", "test-constant", "--test-level", "3"}, valued, cli::explainerFlagOptions());
    QCOMPARE(cli::explainerSettings(args, "test-constant"), (sky::ExplainerSettings{{"test-level", "3"}}));
    // ...and the man page, made from --help by cmake/ManPage.cmake, describes it.
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "sky-registry-man";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "help.txt") << "commands:\n  info MAP.fits\n      Describe a map.\n\n" << help << "\n";
    const Run man = shell(std::string(SKY_CMAKE_COMMAND) +
                          " -DTEMPLATE=" SKY_MAN_TEMPLATE " -DHELP=" + (dir / "help.txt").string() +
                          " -DOUTPUT=" + (dir / "page.1").string() + " -DPROJECT_VERSION=0 -P " SKY_MAN_SCRIPT);
    QVERIFY2(man.exitCode == 0, man.output.c_str());
    std::stringstream page;
    page << std::ifstream(dir / "page.1").rdbuf();
    QVERIFY(page.str().find(".B test\\-constant") != std::string::npos);
    QVERIFY(page.str().find("\\-\\-test\\-level N: the value every pixel gets") != std::string::npos);
    std::filesystem::remove_all(dir);
    // The app's form has a page for it, with the default, and runs it.
    ui::ExplainerPanel panel;
    auto* combo = panel.findChild<QComboBox*>();
    QVERIFY(combo && combo->findData("test-constant") >= 0);
    auto* level = qobject_cast<QSpinBox*>(panel.parameterWidget("test-constant", "test-level"));
    QVERIFY(level != nullptr);
    QCOMPARE(level->value(), 7);
    QCOMPARE(level->maximum(), 100);
    panel.setMethod("test-constant");
    level->setValue(9);
    ui::ExplainRequest r = panel.request();
    QCOMPARE(r.settings, (sky::ExplainerSettings{{"test-level", "9"}}));
    // Saved as data (sessions, FITS headers) under the registry's names, and read back.
    QCOMPARE(r.parameters().value("test-level").toString(), QString("9"));
    QCOMPARE(ui::ExplainRequest::fromParameters(r.parameters()).settings, r.settings);
  }

  // Sessions saved before the registry used snake_case names and other value forms.
  void sessionsSavedBeforeTheRegistryStillRead() {
    const QVariantMap old{{"method", "occlusion"},
                          {"max_evals", 500},
                          {"batch_size", 32},
                          {"steps", 50},
                          {"samples", 5},
                          {"target", 0},
                          {"occlusion_window", 8},
                          {"occlusion_stride", 4},
                          {"baselines", 8},
                          {"masker", "zero"},
                          {"nside", 32}};
    const ui::ExplainRequest occlusion = ui::ExplainRequest::fromParameters(old);
    QCOMPARE(occlusion.settings,
             (sky::ExplainerSettings{{"batch-size", "32"}, {"stride", "4x4"}, {"target", "0"}, {"window", "8x8"}}));
    QCOMPARE(occlusion.nside, 32);
    QVariantMap shap = old;
    shap["method"] = "gradient-shap";
    QCOMPARE(QString::fromStdString(ui::ExplainRequest::fromParameters(shap).settings.at("baselines")),
             QString("normal:8"));
    shap["method"] = "integrated-gradients";
    QCOMPARE(QString::fromStdString(ui::ExplainRequest::fromParameters(shap).settings.at("baselines")),
             QString("zero"));
    shap["method"] = "partition";
    QCOMPARE(QString::fromStdString(ui::ExplainRequest::fromParameters(shap).settings.at("max-evals")), QString("500"));
  }
};

QTEST_MAIN(ExplainerRegistryTest)
#include "ExplainerRegistryTest.moc"
