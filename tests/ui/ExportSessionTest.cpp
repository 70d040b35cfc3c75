// Figures, data exports and session files, through the window's own code paths (offscreen).
#include <QFontMetricsF>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTransform>
#include <QXmlStreamReader>
#include <algorithm>

#include "UiTestSupport.h"
#include "export/DataExport.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "util/Error.h"
#include "views/AnalysisView.h"
#include "views/ComparisonView.h"
#include "views/MollweideView.h"
#include "views/SpectrumView.h"
#include "views/ViewRegistry.h"

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool waitForSession(MainWindow& w, const QString& path, QStringList* problems = nullptr) {
  QSignalSpy loaded(&w, &MainWindow::sessionLoaded);
  if (!w.loadSession(path)) return false;
  if (loaded.isEmpty() && !loaded.wait(60000)) return false;
  if (problems) *problems = loaded[0][0].toStringList();
  return true;
}

// The text of an SVG figure, each with the box it covers on the page (its transform applied;
// widths from the font's metrics, as a viewer would lay it out).
struct SvgText {
  QString text;
  QRectF box;
};
std::vector<SvgText> svgTexts(const QString& path) {
  std::vector<SvgText> out;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return out;
  QXmlStreamReader xml(&f);
  std::vector<QTransform> stack{QTransform()};
  while (!xml.atEnd()) {
    xml.readNext();
    if (xml.isStartElement() && xml.name() == QLatin1String("g")) {
      QTransform t = stack.back();
      const QString m = xml.attributes().value("transform").toString();
      if (m.startsWith("matrix(")) {
        const QStringList v = m.mid(7, m.size() - 8).split(',');
        if (v.size() == 6)
          t = QTransform(v[0].toDouble(), v[1].toDouble(), v[2].toDouble(), v[3].toDouble(), v[4].toDouble(),
                         v[5].toDouble()) *
              t;
      }
      stack.push_back(t);
    } else if (xml.isEndElement() && xml.name() == QLatin1String("g")) {
      if (stack.size() > 1) stack.pop_back();
    } else if (xml.isStartElement() && xml.name() == QLatin1String("text")) {
      const auto a = xml.attributes();
      QFont font(a.value("font-family").toString());
      font.setPixelSize(static_cast<int>(a.value("font-size").toDouble()));
      const QFontMetricsF metrics(font);
      const double x = a.value("x").toDouble(), y = a.value("y").toDouble();
      const QString text = xml.readElementText().trimmed();
      const QRectF local(x, y - metrics.ascent(), metrics.horizontalAdvance(text),
                         metrics.ascent() + metrics.descent());
      if (!text.isEmpty()) out.push_back({text, stack.back().mapRect(local)});
    }
  }
  return out;
}

// Significant digits of a printed number: "1000" and "1e+06" have one, "0.025" two.
int significantDigits(const QString& label) {
  QString mantissa = label.section('e', 0, 0).remove('-').remove('+');
  const bool decimal = mantissa.contains('.');
  mantissa.remove('.');
  while (mantissa.startsWith('0')) mantissa.remove(0, 1);
  if (!decimal) {
    while (mantissa.endsWith('0')) mantissa.chop(1);
  }
  return static_cast<int>(mantissa.size());
}

// Every numeric label of the SVG has at most three significant digits, `titles` are there,
// each of `sideTitles` runs along its axis (a tall box: the transforms were applied), and no
// two text boxes overlap.
void checkReadable(const QString& path, const QStringList& titles, const QStringList& sideTitles) {
  const auto texts = svgTexts(path);
  QStringList all;
  for (const auto& t : texts) all << t.text;
  QVERIFY2(texts.size() >= 8, qPrintable(all.join(" | ")));
  int numbers = 0;
  for (const auto& t : texts) {
    bool isNumber = false;
    t.text.toDouble(&isNumber);
    if (!isNumber) continue;
    ++numbers;
    QVERIFY2(significantDigits(t.text) <= 3, qPrintable("tick label " + t.text));
  }
  QVERIFY(numbers >= 6);
  for (const QString& title : titles) QVERIFY2(all.contains(title), qPrintable(title + " missing: " + all.join(" | ")));
  for (const QString& title : sideTitles) {
    const auto it = std::find_if(texts.begin(), texts.end(), [&](const SvgText& t) {
      return t.text.startsWith(title) && t.box.height() > t.box.width();
    });
    QVERIFY2(it != texts.end(), qPrintable("no axis title " + title + ": " + all.join(" | ")));
  }
  for (size_t i = 0; i < texts.size(); ++i) {
    for (size_t j = i + 1; j < texts.size(); ++j) {
      const QRectF a = texts[i].box.adjusted(1, 1, -1, -1), b = texts[j].box.adjusted(1, 1, -1, -1);
      QVERIFY2(!a.intersects(b), qPrintable(QString("'%1' overlaps '%2'").arg(texts[i].text, texts[j].text)));
    }
  }
}

}  // namespace

class ExportSessionTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("SkyInterpretTests");
    QCoreApplication::setApplicationName("SkyInterpretTests");
  }

  void figuresAreValidPngSvgAndPdf() {
    MainWindow w;
    QVERIFY(openDemoAndWait(w));
    QTRY_VERIFY_WITH_TIMEOUT(w.settled(), 30000);
    QTemporaryDir dir;
    ui::FigureOptions o;
    o.size = QSize(900, 500);
    o.dpi = 192;
    for (const QString view : {"mollweide", "image", "spectrum", "comparison"}) {
      const QString base = dir.filePath(view);
      w.exportFigure(view, base + ".png", o);
      w.exportFigure(view, base + ".svg", o);
      w.exportFigure(view, base + ".pdf", o);
      // PNG: the size asked for (points x dpi / 96), and not blank.
      const QImage png(base + ".png");
      QCOMPARE(png.size(), QSize(1800, 1000));
      QVERIFY2(distinctColours(png) >= 50, qPrintable(view));
      // SVG: well-formed XML with vector text and paths, and it renders to something.
      const QByteArray svg = readAll(base + ".svg");
      QXmlStreamReader xml(svg);
      int texts = 0, paths = 0;
      while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) ++texts;
        if (xml.isStartElement() && (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline") ||
                                     xml.name() == QLatin1String("rect")))
          ++paths;
      }
      QVERIFY2(!xml.hasError(), qPrintable(view + ": " + xml.errorString()));
      QVERIFY2(texts >= 3 && paths >= 1, qPrintable(view));
      QSvgRenderer renderer(svg);
      QVERIFY(renderer.isValid());
      QImage drawn(450, 250, QImage::Format_ARGB32);
      drawn.fill(Qt::white);
      QPainter painter(&drawn);
      renderer.render(&painter);
      painter.end();
      QVERIFY2(distinctColours(drawn) >= 20, qPrintable(view));
      // PDF: the header, one page, the trailer.
      const QByteArray pdf = readAll(base + ".pdf");
      QVERIFY(pdf.startsWith("%PDF-"));
      QCOMPARE(static_cast<int>(QRegularExpression("/Type\\s*/Page[^s]").globalMatch(pdf).hasNext()), 1);
      int pages = 0;
      for (auto it = QRegularExpression("/Type\\s*/Page[^s]").globalMatch(pdf); it.hasNext(); it.next()) ++pages;
      QCOMPARE(pages, 1);
      QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    }
    // Bad requests: a clear error and no file left behind.
    bool refused = false;
    try {
      w.exportFigure("mollweide", dir.filePath("figure.jpg"), o);
    } catch (const sky::SkyError& e) {
      refused = QString(e.what()).contains(".png, .svg or .pdf");
    }
    QVERIFY(refused);
    refused = false;
    try {
      w.exportFigure("mollweide", "/proc/no-such-dir/figure.png", o);
    } catch (const sky::SkyError& e) {
      refused =
          e.kind() == sky::ErrorKind::OutputUnwritable && QString(e.what()).contains("/proc/no-such-dir/figure.png");
    }
    QVERIFY(refused);
    QVERIFY(!QFile::exists(dir.filePath("figure.jpg")));
    saveIfAsked(&w, "export-window");
  }

  // Figures a referee can read: tick labels of at most three significant digits, axis titles
  // with units, value titles along their axes, and no two texts on top of each other.
  void spectrumAndAnalysisFiguresHaveNiceTicksTitlesAndNoOverlappingText() {
    MainWindow w;
    QVERIFY(openDemoAndWait(w));
    QTRY_VERIFY_WITH_TIMEOUT(w.settled(), 30000);
    QTemporaryDir dir;
    ui::FigureOptions o;
    o.size = QSize(900, 500);
    w.exportFigure("spectrum", dir.filePath("spectrum.svg"), o);
    checkReadable(dir.filePath("spectrum.svg"), {"multipole l"}, {"D_l = ", "attribution D_l"});
    if (QTest::currentTestFailed()) return;
    const auto spectrumTexts = svgTexts(dir.filePath("spectrum.svg"));
    QVERIFY(std::any_of(spectrumTexts.begin(), spectrumTexts.end(),
                        [](const SvgText& t) { return t.text.startsWith("D_l = ") && t.text.contains("[uK^2]"); }));
    // An ablation: the mean output and the AUC share the plot on two labelled axes.
    w.session().setCurrent(1);
    QSignalSpy shown(w.analyses(), &ui::AnalysisView::resultShown);
    QVERIFY(w.analyses()->run("lowpass") > 0);
    QVERIFY(shown.wait(60000));
    w.exportFigure("analyses", dir.filePath("ablation.svg"), o);
    checkReadable(dir.filePath("ablation.svg"), {"cut (multipole l)"}, {"mean output", "AUC"});
    if (QTest::currentTestFailed()) return;
    // The Mollweide figure: a colour bar with 1-2-5 ticks and its unit, a labelled graticule.
    w.session().setCurrent(1);
    QTRY_VERIFY_WITH_TIMEOUT(w.settled(), 30000);
    w.exportFigure("mollweide", dir.filePath("mollweide.svg"), o);
    checkReadable(dir.filePath("mollweide.svg"), {"uK", QString::fromUtf8("60\u00b0"), QString::fromUtf8("300\u00b0")},
                  {});
  }

  void dataExportsReadBackEqual() {
    MainWindow w;
    QVERIFY(openDemoAndWait(w));
    QTRY_VERIFY_WITH_TIMEOUT(w.settled(), 30000);
    QTemporaryDir dir;
    const auto& layers = w.session().layers();
    // Both attributions of the feature sky in one FITS, one named field each.
    ui::exportAttributionFits(w.session(), 1, dir.filePath("attr.fits"));
    const sky::SkyMap fits = sky::readHealpixFits(dir.filePath("attr.fits").toStdString());
    QCOMPARE(fits.fieldCount(), 2);
    QCOMPARE(QString::fromStdString(fits.fieldName(0)), QString("GRADIENT_SHAP"));
    QCOMPARE(QString::fromStdString(fits.fieldName(1)), QString("INTEGRATED_GRADIENTS"));
    for (int f = 0; f < 2; ++f) {
      const auto expected = layers[static_cast<size_t>(4 + f)].map->field(0);
      const auto got = fits.field(f);
      QVERIFY(std::equal(got.begin(), got.end(), expected.begin(), expected.end()));
    }
    // Spectra as plotted.
    w.spectrumView()->curves();  // asks for the spectra
    QTRY_VERIFY_WITH_TIMEOUT(!w.spectrumView()->computing(), 30000);
    const auto curves = w.spectrumView()->curves();
    QVERIFY(!curves.empty());
    ui::exportSpectraCsv(curves, true, dir.filePath("spectra.csv"));
    const sky::CsvTable csv = sky::readCsv(dir.filePath("spectra.csv").toStdString());
    QCOMPARE(csv.header.size(), curves.size() + 1);
    QCOMPARE(csv.columns[1][10], curves[0].values[10]);
    // Comparison metrics and band correlations.
    ui::exportComparisonCsv(*w.comparison(), dir.filePath("comparison.csv"));
    const sky::CsvTable metrics = sky::readCsv(dir.filePath("comparison.csv").toStdString());
    QCOMPARE(metrics.columns[2][0], w.comparison()->metrics()[0]->pearson);
    const sky::CsvTable bands = sky::readCsv(dir.filePath("comparison_bands.csv").toStdString());
    QCOMPARE(bands.columns[2].size(), w.comparison()->metrics()[0]->bands.size());
    // The attribution image as NPY (channels, height, width).
    ui::exportImageNpy(layers[5].image, dir.filePath("attr.npy"));
    const sky::NpyArray npy = sky::readNpy(dir.filePath("attr.npy").toStdString());
    QCOMPARE(npy.shape, (std::vector<size_t>{1, 64, 128}));
    QVERIFY(npy.values == layers[5].image->data());
    // Nothing to export is an error, not an empty file.
    bool refused = false;
    try {
      ui::exportAttributionFits(w.session(), 0, dir.filePath("none.fits"));
    } catch (const sky::SkyError& e) {
      refused = QString(e.what()).contains("no attribution");
    }
    QVERIFY(refused);
    QVERIFY(!QFile::exists(dir.filePath("none.fits")));
  }

  void sessionsReproduceTheScreen() {
    QTemporaryDir dir;
    const QString path = dir.filePath("session.json");
    std::vector<double> attribution;
    std::vector<uint8_t> selected;
    {
      MainWindow w;
      QVERIFY(openDemoAndWait(w));
      w.session().setColormap(0, "viridis", false);
      w.session().setRange(0, true, -100, 100);
      w.session().addRegion(sky::DiscRegion{{1.2, 0.4}, 0.7});
      w.session().setSelectionMode(sky::SelectionMode::Intersect);
      w.session().addRegion(sky::topFractionRegion(w.session().layers()[5].map, "ig", 0.2, true));
      w.session().saveSelection("bright in disc");
      w.session().setMultipoles(sky::MultipoleRange{5, 40});
      w.mollweide()->setCamera({2.0, {0.3, 0.1}});
      w.comparison()->setCommonScale(true);
      w.session().setCurrent(4);
      attribution.assign(w.session().layers()[5].map->field(0).begin(), w.session().layers()[5].map->field(0).end());
      selected = w.session().selectionMask(32)->inside;
      QVERIFY(w.saveSession(path));
    }
    // The two runs' results were saved beside the session.
    const QString data = dir.filePath("session.data");
    QCOMPARE(QDir(data).entryList({"run-*.npy"}, QDir::Files).size(), 2);
    QCOMPARE(QDir(data).entryList({"run-*.fits"}, QDir::Files).size(), 2);
    MainWindow w;
    w.setErrorDialogs(false);
    QSignalSpy runs(&w.jobs(), &ui::ExplainJobs::started);
    QStringList problems;
    QVERIFY(waitForSession(w, path, &problems));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join("; ")));
    QCOMPARE(runs.count(), 0);  // read back, not computed again
    const auto& layers = w.session().layers();
    QCOMPARE(static_cast<int>(layers.size()), 6);
    QVERIFY(layers[5].name.startsWith("integrated-gradients"));
    QVERIFY(layers[5].image && layers[4].image && layers[5].image != layers[4].image);
    const auto again = layers[5].map->field(0);
    QVERIFY(std::equal(again.begin(), again.end(), attribution.begin(), attribution.end()));
    QCOMPARE(layers[0].colormap, QString("viridis"));
    QVERIFY(layers[0].manualRange && layers[0].rangeMax == 100);
    QCOMPARE(w.session().currentIndex(), 4);
    QCOMPARE(w.session().selectionMask(32)->inside, selected);
    QCOMPARE(w.session().selection().multipoles->lmax, 40);
    QCOMPARE(static_cast<int>(w.session().savedSelections().size()), 1);
    QCOMPARE(QString::fromStdString(w.session().savedSelections()[0].name), QString("bright in disc"));
    QCOMPARE(w.mollweide()->camera().zoom, 2.0);
    QVERIFY(w.comparison()->commonScale());
  }

  // Re-running is a choice: asked for, or when the saved results are gone (sessions saved by
  // older versions have none). Runs are deterministic, so the values are the same.
  void sessionRunsAreComputedAgainWhenAskedOrWhenTheirResultsAreMissing() {
    QTemporaryDir dir;
    const QString path = dir.filePath("runs.json");
    std::vector<double> attribution;
    {
      MainWindow w;
      QVERIFY(openDemoAndWait(w));
      attribution.assign(w.session().layers()[5].map->field(0).begin(), w.session().layers()[5].map->field(0).end());
      QVERIFY(w.saveSession(path));
    }
    for (const bool removeData : {false, true}) {
      if (removeData) QVERIFY(QDir(dir.filePath("runs.data")).removeRecursively());
      MainWindow w;
      w.setErrorDialogs(false);
      QSignalSpy runs(&w.jobs(), &ui::ExplainJobs::started);
      QSignalSpy loaded(&w, &MainWindow::sessionLoaded);
      QVERIFY(w.loadSession(path, /*rerun=*/!removeData));
      QVERIFY(loaded.wait(60000));
      QCOMPARE(runs.count(), 2);
      const auto again = w.session().layers()[5].map->field(0);
      QVERIFY(std::equal(again.begin(), again.end(), attribution.begin(), attribution.end()));
    }
  }

  void polarisedMapLayersSurviveASession() {
    QTemporaryDir dir;
    const QString path = dir.filePath("tqu.json");
    {
      MainWindow w;
      w.setErrorDialogs(false);
      QVERIFY(uitest::openAndWait(w, QStringLiteral(SKY_SOURCE_RESOURCES "/demo/demo_tqu_n16.fits")));
      w.session().setCurrent(2);
      QVERIFY(w.saveSession(path));
    }
    MainWindow w;
    w.setErrorDialogs(false);
    QStringList problems;
    QVERIFY(waitForSession(w, path, &problems));
    QVERIFY(problems.isEmpty());
    QCOMPARE(static_cast<int>(w.session().layers().size()), 3);
    for (int f = 0; f < 3; ++f) QCOMPARE(w.session().layers()[static_cast<size_t>(f)].channel, f);
    QCOMPARE(w.session().currentIndex(), 2);
    QVERIFY(w.session().layers()[2].name.endsWith("[U]"));
  }

  // A view registered once (views/ViewRegistry.h) becomes a tab with its id, paints figures,
  // keeps its state in sessions and is shown again, with no edit to the window or session code.
  void aRegisteredViewIsATabAFigureAndSessionState() {
    ui::ViewSpec spec;
    spec.id = "test-note";
    spec.title = "Note";
    spec.create = [](const ui::ViewHost&, QWidget* parent) -> QWidget* {
      auto* label = new QLabel("initial", parent);
      label->setObjectName("testNote");
      return label;
    };
    spec.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double) {
      p.fillRect(r, Qt::white);
      p.drawText(r, Qt::AlignCenter, static_cast<QLabel*>(v)->text());
    };
    spec.saveState = [](const QWidget* v) { return QJsonObject{{"text", static_cast<const QLabel*>(v)->text()}}; };
    spec.restoreState = [](QWidget* v, const QJsonObject& o, const ui::LayerIndexMap&) {
      static_cast<QLabel*>(v)->setText(o.value("text").toString());
    };
    ui::registerView(spec);
    QTemporaryDir dir;
    const QString path = dir.filePath("note.json");
    {
      MainWindow w;
      QVERIFY(w.viewIds().contains("test-note"));
      QVERIFY(MainWindow::figureViews().contains("test-note"));
      auto* note = w.findChild<QLabel*>("testNote");
      QVERIFY(note != nullptr);
      note->setText("kept");
      QVERIFY(w.showView("test-note"));
      QVERIFY(w.saveSession(path));
      const QJsonObject saved = QJsonDocument::fromJson(readAll(path)).object();
      QCOMPARE(saved["view"].toObject()["current"].toString(), QString("test-note"));
      QCOMPARE(saved["view"].toObject()["test-note"].toObject()["text"].toString(), QString("kept"));
      ui::FigureOptions o;
      o.size = QSize(300, 200);
      w.exportFigure("test-note", dir.filePath("note.png"), o);
      QVERIFY(QImage(dir.filePath("note.png")).width() > 0);
    }
    MainWindow again;
    QVERIFY(again.showView("mollweide"));
    QVERIFY(waitForSession(again, path));
    QCOMPARE(again.findChild<QLabel*>("testNote")->text(), QString("kept"));
    QCOMPARE(again.currentViewId(), QString("test-note"));
  }

  // Sessions written before the view registry named the sphere's camera "sphere_camera" and
  // the shown view by its tab title; they still open on that view.
  void sessionsFromBeforeTheViewRegistryStillOpen() {
    QTemporaryDir dir;
    const QString path = dir.filePath("old.json");
    {
      MainWindow w;
      QVERIFY(w.saveSession(path));
    }
    QJsonObject json = QJsonDocument::fromJson(readAll(path)).object();
    QJsonObject view = json["view"].toObject();
    view.remove("current");
    view["tab"] = "Spectrum";
    json["view"] = view;
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(QJsonDocument(json).toJson());
    f.close();
    MainWindow w;
    QVERIFY(waitForSession(w, path));
    QCOMPARE(w.currentViewId(), QString("spectrum"));
  }

  void missingFilesInASessionAreReportedNotFatal() {
    QTemporaryDir dir;
    QFile::copy(QStringLiteral(SKY_TEST_DATA_DIR "/sky/T_n16_0.fits"), dir.filePath("map.fits"));
    const QString path = dir.filePath("session.json");
    {
      MainWindow w;
      w.setErrorDialogs(false);
      QVERIFY(uitest::openAndWait(w, dir.filePath("map.fits")));
      QVERIFY(uitest::openAndWait(w, QStringLiteral(SKY_TEST_DATA_DIR "/sky/T_n16_0.fits")));
      QVERIFY(w.saveSession(path));
    }
    QFile::remove(dir.filePath("map.fits"));
    MainWindow w;
    w.setErrorDialogs(false);
    QStringList problems;
    QVERIFY(waitForSession(w, path, &problems));
    QCOMPARE(problems.size(), 1);
    QVERIFY(problems[0].contains("map.fits"));
    QCOMPARE(static_cast<int>(w.session().layers().size()), 1);  // the other map is there
    // A file that is not a session is refused as a whole.
    QFile junk(dir.filePath("junk.json"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("{\"format\": \"something else\"}");
    junk.close();
    QSignalSpy errors(&w, &MainWindow::errorReported);
    QVERIFY(!w.loadSession(junk.fileName()));
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors[0][0].toString().contains("not a SkyInterpret session"));
    QCOMPARE(static_cast<int>(w.session().layers().size()), 1);  // nothing was cleared
  }
};

QTEST_MAIN(ExportSessionTest)
#include "ExportSessionTest.moc"
