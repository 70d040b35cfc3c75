// The VTK sphere inside Qt (needs a GL platform: runs under xvfb-run).
#include <vtkCamera.h>
#include <vtkRenderer.h>

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QSet>
#include <QSignalSpy>
#include <QtTest>
#include <random>

#include "simulate/DemoSkies.h"
#include "state/SkySession.h"
#include "vtk/SphereView.h"

namespace {
// Shown, exposed, and its texture (made on a worker) in place.
bool showAndWait(ui::SphereView& view, QSize size = {640, 480}) {
  view.resize(size);
  view.show();
  return QTest::qWaitForWindowExposed(&view) && QTest::qWaitFor([&view] { return !view.computing(); }, 30000);
}

const int kDemoNside = sky::demoSettings().sky.nside;

}  // namespace

class SphereViewTest : public QObject {
  Q_OBJECT
 public:
  static void initMain() { ui::VtkOpenGLWidget::configureSurfaceFormat(); }

 private slots:
  void initTestCase() {
    QCoreApplication::setOrganizationName("SkyInterpretTests");
    QCoreApplication::setApplicationName("SkyInterpretTests");
  }

  void drawsTheMapAndRotatesWithTheMouse() {
    ui::SkySession session;
    session.openDemo();
    ui::SphereView view(&session);
    QVERIFY(showAndWait(view));
    const QImage image = view.grabFramebuffer();
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
      for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
    if (colours.size() < 100) image.save(QDir::tempPath() + "/ui-sphere-actual.png");
    QVERIFY2(colours.size() >= 100, "the sphere view is blank");
    double before[3], after[3];
    view.renderer()->GetActiveCamera()->GetPosition(before);
    QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(320, 240));
    for (int x = 330; x <= 420; x += 10) QTest::mouseMove(&view, QPoint(x, 250));
    QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(420, 250));
    view.renderer()->GetActiveCamera()->GetPosition(after);
    const double moved = std::hypot(after[0] - before[0], after[1] - before[1], after[2] - before[2]);
    QVERIFY2(moved > 0.1, "dragging did not rotate the camera");
  }

  void clickPicksThePixelUnderTheCursor() {
    ui::SkySession session;
    session.openDemo();
    ui::SphereView view(&session);
    QVERIFY(showAndWait(view));
    view.grabFramebuffer();
    // The widget centre is on the optical axis: the camera sits at (4.9, 0, 0.7).
    const QPoint centre(320, 240);
    const auto d = view.directionAt(QPointF(centre));
    QVERIFY(d.has_value());
    const double expectedTheta = std::acos(0.7 / std::hypot(4.9, 0.7));
    QVERIFY2(std::abs(d->theta - expectedTheta) < 0.01, qPrintable(QString::number(d->theta)));
    QVERIFY2(std::abs(std::remainder(d->phi, 2 * M_PI)) < 0.01, qPrintable(QString::number(d->phi)));
    QSignalSpy picked(&view, &ui::SphereView::pixelPicked);
    QTest::mouseClick(&view, Qt::LeftButton, {}, centre);
    QCOMPARE(picked.count(), 1);
    QCOMPARE(picked[0][0].toLongLong(), static_cast<qlonglong>(sky::ringPixelAt(kDemoNside, *d)));
    QVERIFY(!view.directionAt(QPointF(5, 5)).has_value());  // a corner misses the sphere
  }

  void aDragWithTheDiscToolSelectsACap() {
    ui::SkySession session;
    session.openDemo();
    ui::SphereView view(&session);
    QVERIFY(showAndWait(view));
    const QImage before = view.grabFramebuffer();
    double cameraBefore[3], cameraAfter[3];
    view.renderer()->GetActiveCamera()->GetPosition(cameraBefore);
    session.setTool(ui::SelectionTool::Disc);
    const QPoint centre(320, 240), edge(380, 240);
    const auto c = view.directionAt(QPointF(centre)), e = view.directionAt(QPointF(edge));
    QVERIFY(c && e);
    QTest::mousePress(&view, Qt::LeftButton, {}, centre);
    for (int x = 330; x <= 380; x += 10) {
      QMouseEvent move(QEvent::MouseMove, QPointF(x, 240), view.mapToGlobal(QPointF(x, 240)), Qt::NoButton,
                       Qt::LeftButton, Qt::NoModifier);
      QCoreApplication::sendEvent(&view, &move);
    }
    QTest::mouseRelease(&view, Qt::LeftButton, {}, edge);
    view.renderer()->GetActiveCamera()->GetPosition(cameraAfter);
    QCOMPARE(cameraAfter[0], cameraBefore[0]);  // the drag selected, it did not rotate
    QCOMPARE(static_cast<int>(session.selection().steps().size()), 1);
    const auto* cap = std::get_if<sky::DiscRegion>(&session.selection().steps()[0].region);
    QVERIFY(cap != nullptr);
    QVERIFY(std::abs(cap->centre.theta - c->theta) < 1e-9 && std::abs(cap->centre.phi - c->phi) < 1e-9);
    const double expected = std::acos(std::sin(c->theta) * std::sin(e->theta) * std::cos(c->phi - e->phi) +
                                      std::cos(c->theta) * std::cos(e->theta));
    QVERIFY(std::abs(cap->radius - expected) < 1e-9);
    // Outside the cap the sphere is dimmed (lighter); at its centre the colour is unchanged
    // (once the new texture, made on a worker, is in).
    QVERIFY(QTest::qWaitFor([&view] { return !view.computing(); }, 30000));
    const QImage after = view.grabFramebuffer();
    QCOMPARE(after.pixel(centre), before.pixel(centre));
    const QPoint outside(320 + 150, 240);
    QVERIFY(view.directionAt(QPointF(outside)).has_value());
    QVERIFY(qGray(after.pixel(outside)) >= qGray(before.pixel(outside)));
    QVERIFY(after != before);
  }

  // Hidden, the view makes no texture; shown, it makes one on a worker, and the newest of
  // several quick requests is the one drawn.
  void theTextureIsMadeOnlyWhenShownAndTheNewestWins() {
    ui::SkySession session;
    session.openDemo();
    ui::SphereView view(&session);
    QSignalSpy ready(&view, &ui::SphereView::textureReady);
    session.setCurrent(0);
    session.setCurrent(1);
    QVERIFY(!view.computing());
    QCOMPARE(ready.count(), 0);
    QVERIFY(showAndWait(view));
    QCOMPARE(ready.count(), 1);
    const QImage first = view.grabFramebuffer();
    session.setColormap(1, "viridis", false);
    session.setColormap(1, "planck", false);
    session.setColormap(1, "gray", false);
    QVERIFY(view.computing());
    QVERIFY(QTest::qWaitFor([&view] { return !view.computing(); }, 30000));
    QCOMPARE(ready.count(), 4);
    const QImage grey = view.grabFramebuffer();
    int colourful = 0;
    for (int y = 0; y < grey.height(); y += 4)
      for (int x = 0; x < grey.width(); x += 4) {
        const QRgb c = grey.pixel(x, y);
        colourful += std::abs(qRed(c) - qBlue(c)) > 40;
      }
    QVERIFY(first != grey);
    QVERIFY2(colourful < 20, "the last colour map asked for (grey) is not the one drawn");
  }

  void frameTimeAtNside1024() {
    // Reported, not asserted: speed targets belong to benchmarks (README: target < 33 ms).
    ui::SkySession session;
    std::mt19937 rng(1);
    std::normal_distribution<double> g;
    std::vector<double> values(sky::npixForNside(1024));
    for (double& v : values) v = g(rng);
    ui::Layer layer;
    layer.name = "random nside 1024";
    layer.map =
        std::make_shared<const sky::SkyMap>(1024, sky::Ordering::Ring, std::vector<std::vector<double>>{values});
    session.addLayer(std::move(layer));
    ui::SphereView view(&session);
    QElapsedTimer texture;
    texture.start();
    QVERIFY(showAndWait(view, {1280, 800}));
    qInfo("sphere texture at nside 1024, made on a worker: %lld ms after show",
          static_cast<long long>(texture.elapsed()));
    QCOMPARE(view.meshRows(), 129);
    double total = 0;
    for (int i = 0; i < 10; ++i) {
      view.renderer()->GetActiveCamera()->Azimuth(5);
      view.grabFramebuffer();  // forces a paint
      total += view.lastFrameMilliseconds();
    }
    qInfo("sphere frame time at 1280x800, nside 1024 (4096x2048 texture): %.1f ms mean over 10 frames", total / 10);
  }
};

QTEST_MAIN(SphereViewTest)
#include "SphereViewTest.moc"
