#include "LatencyProbe.h"

#include <sys/resource.h>

#include <QEvent>
#include <cstdio>

#include "MainWindow.h"
#include "views/MollweideView.h"

namespace {
constexpr int kPeriodMs = 10;
}

LatencyProbe::LatencyProbe(ui::MainWindow& window) : QObject(&window), window_(window) {
  clock_.start();
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &LatencyProbe::tick);
  timer_.start(kPeriodMs);
  window_.mollweide()->installEventFilter(this);
}

void LatencyProbe::tick() {
  const qint64 now = clock_.elapsed();
  if (ticks_++ > 0) {
    const qint64 stall = now - lastTick_ - kPeriodMs;
    if (stall > 100) ++stallsOver100_;
    if (stall > worstStall_) {
      worstStall_ = stall;
      worstAt_ = now;
    }
  }
  lastTick_ = now;
}

bool LatencyProbe::eventFilter(QObject* watched, QEvent* event) {
  if (firstSkyPaint_ < 0 && event->type() == QEvent::Paint && !window_.session().layers().empty()) {
    firstSkyPaint_ = clock_.elapsed();
  }
  return QObject::eventFilter(watched, event);
}

LatencyProbe::~LatencyProbe() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::fprintf(stderr,
               "latency: worst event-loop stall %lld ms (at %.2f s), stalls over 100 ms %lld, first sky paint %.2f s, "
               "run %.2f s, "
               "peak RSS %.0f MB\n",
               static_cast<long long>(worstStall_), worstAt_ / 1000.0, static_cast<long long>(stallsOver100_),
               firstSkyPaint_ / 1000.0, clock_.elapsed() / 1000.0, usage.ru_maxrss / 1024.0);
}
