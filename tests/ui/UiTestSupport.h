#pragma once
// Helpers shared by the desktop UI test suites.
#include <QDir>
#include <QImage>
#include <QMouseEvent>
#include <QSet>
#include <QSignalSpy>
#include <QtTest>

#include "MainWindow.h"

using ui::MainWindow;

namespace uitest {
// A left-button drag through the widget's own event handlers.
inline void drag(QWidget* w, QPoint from, QPoint to, int steps = 8) {
  QTest::mousePress(w, Qt::LeftButton, {}, from);
  for (int k = 1; k <= steps; ++k) {
    const QPointF p = from + (to - from) * (static_cast<double>(k) / steps);
    QMouseEvent move(QEvent::MouseMove, p, w->mapToGlobal(p), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &move);
  }
  QTest::mouseRelease(w, Qt::LeftButton, {}, to);
}
// With SKY_UI_SAVE=DIR set, saves what a widget shows (to look at it by eye).
inline void saveIfAsked(QWidget* w, const QString& name) {
  const QString dir = qEnvironmentVariable("SKY_UI_SAVE");
  if (!dir.isEmpty()) w->grab().save(QString("%1/%2.png").arg(dir, name));
}
// Distinct colours in a widget's rendering; saves the image for inspection when too few.
inline int distinctColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
  return static_cast<int>(colours.size());
}
inline int distinctColours(QWidget* w, const QString& name) {
  const QImage image = w->grab().toImage();
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
  if (colours.size() < 50) image.save(QString("%1/ui-%2-actual.png").arg(QDir::tempPath(), name));
  return static_cast<int>(colours.size());
}
// MainWindow::openFile, then until the background read of a map has ended (either way).
inline bool openAndWait(MainWindow& w, const QString& path, int timeoutMs = 30000) {
  return w.openFile(path) && QTest::qWaitFor([&w] { return w.settled(); }, timeoutMs);
}
// A shown window on the demo maps and model, no explainer run, the given layer current.
inline void showDemoWithoutRuns(MainWindow& w, int current) {
  w.setErrorDialogs(false);
  w.resize(1200, 800);
  w.show();
  w.session().openDemo();
  w.session().setCurrent(current);
}
// A shown window on the demo, after its start-up explanation has finished.
inline bool openDemoAndWait(MainWindow& w) {
  w.setErrorDialogs(false);
  w.resize(1200, 800);
  w.show();
  QSignalSpy idle(&w, &MainWindow::idle);
  w.openDemo();
  return idle.wait(60000);
}
}  // namespace uitest

using namespace uitest;
