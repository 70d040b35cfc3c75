#pragma once
// For user actions whose cost grows with the number of pixels but whose callers want an answer
// at once (export a FITS file, load a mask, add a difference layer): the work runs on the
// compute pool while a local event loop keeps the window painting and timers and finished jobs
// going (user input waits), so the window never freezes and the call stays synchronous.
// Capture what the work needs by value (shared maps, copies of names) before calling: the
// session may change while the loop runs (a finished explanation adds layers).
#include <QEventLoop>
#include <QFutureWatcher>
#include <type_traits>

#include "jobs/PoolRun.h"

namespace ui {

// Returns what work() returns; rethrows what it threw.
template <class Work>
std::invoke_result_t<Work&> runResponsive(Work work) {
  const auto job = runOnPool(computePool(), std::move(work));
  if (!job.future.isFinished()) {
    QFutureWatcher<void> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(job.future);
    if (!job.future.isFinished()) loop.exec(QEventLoop::ExcludeUserInputEvents);
  }
  return job.take();
}

}  // namespace ui
