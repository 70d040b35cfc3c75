// Batch output directories opened as a collection (offscreen): browsing, showing a result on
// the sky, comparing two, and the mean maps, per class, against sums computed here.
#include <QDockWidget>
#include <QTableWidget>
#include <QTemporaryDir>

#include "UiTestSupport.h"
#include "batch/BatchManifest.h"
#include "io/HealpixFits.h"
#include "panels/CollectionPanel.h"
#include "simulate/DemoSkies.h"
#include "simulate/Manifest.h"
#include "sky/PowerSpectrum.h"
#include "views/ComparisonView.h"
#include "views/SpectrumView.h"

namespace fs = std::filesystem;

namespace {

// A batch as `skyinterpret-cli batch` leaves it: two demo skies with labels (manifest.csv
// beside them), their attribution maps (the sky times k, so means are known), a failed input.
struct FakeBatch {
  QTemporaryDir dir;
  fs::path data, out;
  std::vector<sky::DemoSky> skies = sky::makeDemoSkies(1, 7);
  std::vector<double> scales = {2.0, -1.0};

  FakeBatch()
      : data(fs::path(dir.path().toStdString()) / "skies"), out(fs::path(dir.path().toStdString()) / "results") {
    fs::create_directories(data);
    sky::claimBatchDirectory(out, {"/models/demo_model.pt", "saliency", {{"target", "0"}}});
    std::vector<sky::ManifestEntry> entries;
    sky::ManifestAppender manifest(out / "manifest.jsonl");
    for (size_t i = 0; i < skies.size(); ++i) {
      const std::string key = "sky" + std::to_string(i);
      sky::writeHealpixFits(skies[i].map, data / (key + ".fits"));
      entries.push_back({key + ".fits", skies[i].label, 0, {}});
      sky::writeHealpixFits(attribution(i), out / (key + ".saliency.fits"));
      sky::BatchRecord r;
      r.key = key;
      r.input = (data / (key + ".fits")).string();
      r.status = "ok";
      r.outputs = {key + ".saliency.fits"};
      r.method = "saliency";
      r.seconds = 0.5;
      r.rank = static_cast<int>(i);
      r.finished = sky::utcTimestamp();
      manifest.append(r);
    }
    sky::BatchRecord failed;
    failed.key = "zz_broken";
    failed.input = (data / "zz_broken.fits").string();
    failed.status = "failed";
    failed.method = "saliency";
    failed.error = "zz_broken.fits: not a FITS file";
    failed.finished = sky::utcTimestamp();
    manifest.append(failed);
    sky::writeManifest(data / "manifest.csv", entries, sky::Overwrite::Refuse);
  }
  sky::SkyMap attribution(size_t i) const {
    std::vector<double> v(skies[i].map.field(0).begin(), skies[i].map.field(0).end());
    for (double& x : v) x *= scales[i];
    return sky::SkyMap(skies[i].map.nside(), sky::Ordering::Ring, {v}, {"ATTR_feature"});
  }
  QString directory() const { return QString::fromStdString(out.string()); }
};

int layerNamed(MainWindow& w, const QString& prefix) {
  const auto& layers = w.session().layers();
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name.startsWith(prefix)) return static_cast<int>(i);
  return -1;
}

}  // namespace

class CollectionTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("SkyInterpretTests");
    QCoreApplication::setApplicationName("SkyInterpretTests");
  }

  void aBatchDirectoryOpensAsABrowsableCollection() {
    FakeBatch batch;
    MainWindow w;
    w.setErrorDialogs(false);
    w.show();
    QVERIFY(w.openFile(batch.directory()));
    auto* panel = w.collectionPanel();
    QVERIFY(panel->parentWidget()->isVisible());
    QTableWidget* table = panel->table();
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->item(0, 0)->text(), QString("sky0"));
    QCOMPARE(table->item(0, 1)->text(), batch.skies[0].label == 0 ? QString("LambdaCDM") : QString("feature"));
    QCOMPARE(table->item(2, 2)->text(), QString("failed"));
    QVERIFY(table->item(2, 0)->toolTip().contains("not a FITS file"));

    // Showing a result: its input map and its attribution, linked as map and explanation.
    const int attribution = panel->showEntry(1);
    const ui::Layer* a = w.session().layer(attribution);
    QVERIFY(a && a->kind == ui::Layer::Kind::Attribution);
    QCOMPARE(a->name, QString("saliency of sky1"));
    const ui::Layer* source = w.session().layer(a->sourceLayer);
    QVERIFY(source && source->path.endsWith("sky1.fits"));
    QCOMPARE(a->map->field(0)[100], batch.attribution(1).field(0)[100]);
    QCOMPARE(w.session().currentIndex(), attribution);
    // Showing it again reuses the open input map.
    const int layersBefore = static_cast<int>(w.session().layers().size());
    panel->showEntry(1);
    QCOMPARE(static_cast<int>(w.session().layers().size()), layersBefore + 1);

    // A failed entry is an error that names it, not a crash.
    QSignalSpy errors(&w, &MainWindow::errorReported);
    table->selectRow(2);
    table->cellDoubleClicked(2, 0);
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0][0].toString().contains("zz_broken failed"));
  }

  void twoResultsCompareSideBySide() {
    FakeBatch batch;
    MainWindow w;
    w.setErrorDialogs(false);
    w.show();
    QVERIFY(w.openCollection(batch.directory()));
    w.collectionPanel()->compareEntries(0, 1);
    QCOMPARE(w.views()->currentWidget(), static_cast<QWidget*>(w.comparison()));
    const int a = w.comparison()->panelLayer(0), b = w.comparison()->panelLayer(1);
    QCOMPARE(w.session().layer(a)->name, QString("saliency of sky0"));
    QCOMPARE(w.session().layer(b)->name, QString("saliency of sky1"));
  }

  void meanMapsPerClassEqualTheAverages() {
    FakeBatch batch;
    MainWindow w;
    w.setErrorDialogs(false);
    w.show();
    QVERIFY(w.openCollection(batch.directory()));
    QSignalSpy added(w.collectionPanel(), &ui::CollectionPanel::meansAdded);
    QVERIFY(w.collectionPanel()->computeMeans() > 0);
    QVERIFY(added.wait(30000));
    const int all = layerNamed(w, "mean saliency, all results (2)");
    const int allAbs = layerNamed(w, "mean |saliency|, all results (2)");
    QVERIFY(all >= 0 && allAbs >= 0);
    const sky::SkyMap m0 = batch.attribution(0), m1 = batch.attribution(1);
    const auto a0 = m0.field(0), a1 = m1.field(0);
    for (size_t p : {size_t{0}, size_t{777}, a0.size() - 1}) {
      QCOMPARE(w.session().layer(all)->map->field(0)[p], (a0[p] + a1[p]) / 2);
      QCOMPARE(w.session().layer(allAbs)->map->field(0)[p], (std::abs(a0[p]) + std::abs(a1[p])) / 2);
    }
    // One group per class: each holds one sky, so its mean is that sky's attribution.
    const size_t feature = batch.skies[0].label == 1 ? 0 : 1;
    const int featureMean = layerNamed(w, "mean saliency, feature (label 1) (1)");
    QVERIFY(featureMean >= 0);
    QCOMPARE(w.session().layer(featureMean)->map->field(0)[5], batch.attribution(feature).field(0)[5]);
    QVERIFY(layerNamed(w, "mean saliency, LambdaCDM (label 0) (1)") >= 0);
    uitest::saveIfAsked(&w, "collection-means");
    // The spectrum view shows the batch's own attribution spectra: their mean and a band of
    // one standard deviation either side (the C_l of each map, not of the mean map).
    w.session().setCurrent(all);
    w.views()->setCurrentIndex(w.views()->indexOf(w.spectrumView()));
    w.spectrumView()->curves();
    QTRY_VERIFY_WITH_TIMEOUT(!w.spectrumView()->computing(), 30000);
    const auto curves = w.spectrumView()->curves();
    const auto band = std::find_if(curves.begin(), curves.end(), [](const auto& c) { return !c.lower.empty(); });
    QVERIFY(band != curves.end());
    std::vector<std::vector<double>> own;
    for (const sky::SkyMap& m : {m0, m1}) {
      sky::SpectrumOptions so;
      so.polarised = false;
      so.correctForSkyFraction = false;
      own.push_back(sky::toDl(sky::anafast(m, so).cl[0]));
    }
    for (size_t l : {size_t{2}, size_t{10}, size_t{40}}) {
      const double mean = (own[0][l] + own[1][l]) / 2, spread = std::abs(own[0][l] - own[1][l]) / std::sqrt(2.0);
      QVERIFY(std::abs(band->values[l] - mean) <= 1e-9 * mean);
      QVERIFY(std::abs(band->upper[l] - (mean + spread)) <= 1e-6 * mean);
      QVERIFY(std::abs(band->lower[l] - (mean - spread)) <= 1e-6 * mean);
    }
    uitest::saveIfAsked(&w, "collection-spectra");
  }

  void aSessionReadsBatchResultsBackInsteadOfRerunningThem() {
    FakeBatch batch;
    QTemporaryDir dir;
    const QString file = dir.filePath("session.json");
    {
      MainWindow w;
      w.setErrorDialogs(false);
      QVERIFY(w.openCollection(batch.directory()));  // shows sky0
      w.collectionPanel()->showEntry(1);
      QSignalSpy added(w.collectionPanel(), &ui::CollectionPanel::meansAdded);
      w.collectionPanel()->computeMeans();
      QVERIFY(added.wait(30000));
      QVERIFY(w.saveSession(file));
    }
    MainWindow w;
    w.setErrorDialogs(false);
    QSignalSpy loaded(&w, &MainWindow::sessionLoaded);
    QVERIFY(w.loadSession(file));
    QVERIFY(!loaded.isEmpty() || loaded.wait(30000));
    const int a = layerNamed(w, "saliency of sky1");
    QVERIFY(a >= 0);
    const sky::SkyMap expected = batch.attribution(1);
    QCOMPARE(w.session().layer(a)->map->field(0)[321], expected.field(0)[321]);
    QVERIFY(w.session().layer(w.session().layer(a)->sourceLayer)->path.endsWith("sky1.fits"));
    QCOMPARE(w.jobs().pending(), 0);  // nothing was re-run
    // Mean maps are computed in memory: reported as left out, not re-made wrongly.
    QVERIFY(loaded[0][0].toStringList().join("\n").contains("mean saliency"));
  }

  void aDirectoryWithoutABatchIsASpecificError() {
    QTemporaryDir empty;
    MainWindow w;
    w.setErrorDialogs(false);
    QSignalSpy errors(&w, &MainWindow::errorReported);
    QVERIFY(!w.openFile(empty.path()));
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0][0].toString().contains("not a batch output directory"));
  }
};

QTEST_MAIN(CollectionTest)
#include "CollectionTest.moc"
