#pragma once
// --report-latency: how responsive the window stayed. A 10 ms timer measures how late the
// event loop serves it (the worst stall is the longest the window was frozen); the first paint
// of the Mollweide view with a map and the peak resident memory are noted too. The report goes
// to stderr at exit, one "latency:" line, for benchmarks and the README's numbers.
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace ui {
class MainWindow;
}

class LatencyProbe : public QObject {
  Q_OBJECT
 public:
  explicit LatencyProbe(ui::MainWindow& window);
  ~LatencyProbe() override;  // prints the report

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void tick();
  ui::MainWindow& window_;
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 lastTick_ = 0, worstStall_ = 0, worstAt_ = 0, ticks_ = 0, stallsOver100_ = 0;
  qint64 firstSkyPaint_ = -1;
};
