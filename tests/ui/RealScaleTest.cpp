// The desktop app at a resolution users work at (nside 512, small enough for CI): a Planck-
// layout file (NESTED, float32, I/Q/U_STOKES + TMASK, K_CMB) is opened, explained twice,
// compared, selected on and its spectra shown; the session is saved and opened again, and the
// results come back from the session files, without a job, with the same values. The event
// loop's worst stall is reported (a benchmark's number, not asserted: CI machines vary).
// SKY_REAL_SCALE_NSIDE=1024 or 2048 runs the same flow as the latency benchmark of the README
// (with QTEST_FUNCTION_TIMEOUT=3600000: the nside-2048 spectra take minutes), and
// SKY_REAL_SCALE_MODEL=M.pt with another model (e.g. a T, Q, U model of 3x256x512 images).
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>
#include <random>

#include "UiTestSupport.h"
#include "export/DataExport.h"
#include "io/HealpixFits.h"
#include "panels/ExplainerPanel.h"
#include "panels/SelectionPanel.h"
#include "views/ComparisonView.h"
#include "views/SpectrumView.h"

namespace {

const int kNside = qEnvironmentVariableIntValue("SKY_REAL_SCALE_NSIDE") > 0
                       ? qEnvironmentVariableIntValue("SKY_REAL_SCALE_NSIDE")
                       : 512;

// Writes a Planck-layout map of white noise (in K, as Planck's K_CMB maps).
void writePlanckLikeMap(const QString& path) {
  const size_t npix = static_cast<size_t>(sky::npixForNside(kNside));
  std::mt19937_64 rng(4);
  std::normal_distribution<double> g;
  std::vector<std::vector<double>> fields(4, std::vector<double>(npix));
  for (size_t p = 0; p < npix; ++p) {
    fields[0][p] = 1e-4 * g(rng);
    fields[1][p] = 1e-6 * g(rng);
    fields[2][p] = 1e-6 * g(rng);
    fields[3][p] = p % 7 == 0 ? 0.0 : 1.0;
  }
  const sky::SkyMap map(kNside, sky::Ordering::Nested, std::move(fields), {"I_STOKES", "Q_STOKES", "U_STOKES", "TMASK"},
                        "K_CMB");
  sky::FitsWriteOptions o;
  o.precision = sky::FitsPrecision::Float32;
  sky::writeHealpixFits(map, path.toStdString(), o);
}

// How late a 10 ms timer fires: the longest the window stopped answering, per phase. The
// test's own reading of results (copies of 400 MB maps at nside 2048) is left out: skip()
// after it.
class StallProbe : public QObject {
 public:
  StallProbe() {
    clock_.start();
    connect(&timer_, &QTimer::timeout, this, [this] {
      const qint64 now = clock_.elapsed();
      if (last_ >= 0) worst_ = std::max(worst_, now - last_ - 10);
      last_ = now;
    });
    timer_.start(10);
  }
  void skip() {  // forget the time since the last tick (test code, not the app)
    last_ = -1;  // before any tick runs again: the next one starts a new interval
    QCoreApplication::processEvents();
  }
  // Reports the worst stall of the phase that just ended and starts the next one.
  void phase(const char* name) {
    QTest::qWait(30);  // the tick after the phase measures its last stretch
    qInfo("nside %d, %s: worst event-loop stall %lld ms", kNside, name, static_cast<long long>(worst_));
    overall_ = std::max(overall_, worst_);
    worst_ = 0;
  }
  qint64 overall() const { return overall_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = -1, worst_ = 0, overall_ = 0;
};

QString modelPath() {
  const QString chosen = qEnvironmentVariable("SKY_REAL_SCALE_MODEL");
  return chosen.isEmpty() ? QStringLiteral(SKY_SOURCE_RESOURCES "/demo/demo_model.pt") : chosen;
}

bool settle(MainWindow& w) {
  return QTest::qWaitFor([&w] { return w.settled(); }, 600000);
}

std::vector<double> valuesOf(const ui::Layer& l) { return {l.map->field(0).begin(), l.map->field(0).end()}; }

}  // namespace

class RealScaleTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("SkyInterpretTests");
    QCoreApplication::setApplicationName("SkyInterpretTests");
  }

  void openExplainCompareSelectSpectrumSaveAndReopen() {
    QTemporaryDir dir;
    const QString mapPath = dir.filePath("planck_like_n512.fits"), sessionPath = dir.filePath("real.json");
    writePlanckLikeMap(mapPath);
    std::vector<double> saliency, gradients;
    std::optional<sky::AttributionComparison> compared;
    std::vector<uint8_t> selected;
    sky::SelectionSummary summary;
    std::vector<ui::SpectrumView::Curve> curves;
    int channels = 0;
    {
      MainWindow w;
      w.setErrorDialogs(false);
      w.resize(1400, 860);
      w.show();
      StallProbe probe;
      QVERIFY(w.openFile(modelPath()));
      QVERIFY(uitest::openAndWait(w, mapPath, 120000));
      probe.phase("open");
      const auto& layers = w.session().layers();
      QCOMPARE(static_cast<int>(layers.size()), 4);  // T, Q, U and the mask column
      QCOMPARE(layers[0].map->nside(), kNside);
      QVERIFY(layers[0].name.endsWith("[T]"));
      w.session().setCurrent(0);
      for (const char* method : {"saliency", "integrated-gradients"}) {
        w.explainer()->setMethod(method);
        QSignalSpy idle(&w, &MainWindow::idle);
        QVERIFY(w.runExplainer() > 0);
        QVERIFY(idle.wait(600000));
      }
      probe.phase("two explanations");
      // A layer per channel the model reads, for each run.
      channels = static_cast<int>(w.session().model()->card().channels.size());
      QCOMPARE(static_cast<int>(layers.size()), 4 + 2 * channels);
      QCOMPARE(layers[4].map->nside(), kNside);  // attributions born at the map's nside
      saliency = valuesOf(layers[4]);
      gradients = valuesOf(layers[static_cast<size_t>(4 + channels)]);
      probe.skip();
      // The second run's first channel is the current layer from here on (and in the session).
      w.session().setCurrent(4 + channels);
      // Select, compare (inside the selection), spectrum: each computed on the pool, then read.
      w.session().addRegion(sky::DiscRegion{{1.1, 2.0}, 0.6});
      QVERIFY(settle(w));
      probe.phase("selection");
      w.views()->setCurrentIndex(w.views()->indexOf(w.comparison()));
      QVERIFY(settle(w));
      probe.phase("comparison");
      QCOMPARE(w.comparison()->panelLayer(0), 4);
      compared = w.comparison()->metrics()[0];
      QVERIFY(compared.has_value());
      selected = w.session().selectionMask(kNside)->inside;
      summary = w.selectionPanel()->summary();
      QCOMPARE(summary.inside.pixels, w.session().selectionMask(kNside)->count());
      probe.skip();
      w.views()->setCurrentIndex(w.views()->indexOf(w.spectrumView()));
      w.spectrumView()->curves();
      QVERIFY(settle(w));
      curves = w.spectrumView()->curves();
      QVERIFY(curves.size() >= 3);  // map, attribution, the map inside the selection
      probe.phase("spectra");
      QVERIFY(w.saveSession(sessionPath));
      probe.phase("save session");
      // Writing and reading whole-sky files keep the window answering too.
      ui::exportAttributionFits(w.session(), 0, dir.filePath("attributions.fits"));
      const sky::SkyMap exported = sky::readHealpixFits(dir.filePath("attributions.fits").toStdString());
      QCOMPARE(exported.nside(), kNside);
      QVERIFY(std::equal(saliency.begin(), saliency.end(), exported.field(0).begin()));
      probe.skip();  // the test's own read
      w.selectionPanel()->exportMask(dir.filePath("mask.fits"));
      w.session().setSelection({});
      w.selectionPanel()->loadMask(dir.filePath("mask.fits"));
      QVERIFY(settle(w));
      QCOMPARE(w.session().selectionMask(kNside)->inside, selected);
      const int difference = w.comparison()->addDifferenceLayer();
      QVERIFY(difference > 0);
      QCOMPARE(w.session().layers()[static_cast<size_t>(difference)].map->nside(), kNside);
      probe.phase("attribution file, mask file, difference layer");
      qInfo("nside %d open, explain, select, compare, spectra, save: worst event-loop stall %lld ms", kNside,
            static_cast<long long>(probe.overall()));
    }
    MainWindow w;
    w.setErrorDialogs(false);
    w.resize(1400, 860);
    w.show();
    StallProbe probe;
    QSignalSpy runs(&w.jobs(), &ui::ExplainJobs::started);
    QSignalSpy loaded(&w, &MainWindow::sessionLoaded);
    QVERIFY(w.loadSession(sessionPath));
    QVERIFY(loaded.wait(600000));
    QVERIFY(settle(w));
    probe.phase("reopen the session");
    QVERIFY2(loaded[0][0].toStringList().isEmpty(), qPrintable(loaded[0][0].toStringList().join("; ")));
    QCOMPARE(runs.count(), 0);  // the results came from the session's files
    const auto& layers = w.session().layers();
    QCOMPARE(static_cast<int>(layers.size()), 4 + 2 * channels);
    QCOMPARE(valuesOf(layers[4]), saliency);
    QCOMPARE(valuesOf(layers[static_cast<size_t>(4 + channels)]), gradients);
    QVERIFY(settle(w));
    QCOMPARE(w.session().selectionMask(kNside)->inside, selected);
    QCOMPARE(w.selectionPanel()->summary().inside.pixels, summary.inside.pixels);
    QCOMPARE(w.selectionPanel()->summary().inside.absShare, summary.inside.absShare);
    const auto again = w.comparison()->metrics()[0];
    QVERIFY(again.has_value());
    QCOMPARE(again->pearson, compared->pearson);
    QCOMPARE(again->spearman, compared->spearman);
    QCOMPARE(again->pixels, compared->pixels);
    w.views()->setCurrentIndex(w.views()->indexOf(w.spectrumView()));
    w.spectrumView()->curves();
    QVERIFY(settle(w));
    const auto curvesAgain = w.spectrumView()->curves();
    QCOMPARE(curvesAgain.size(), curves.size());
    for (size_t k = 0; k < curves.size(); ++k) QCOMPARE(curvesAgain[k].values, curves[k].values);
  }
};

QTEST_MAIN(RealScaleTest)
#include "RealScaleTest.moc"
