#pragma once
// QtConcurrent::run for our jobs, with its two hand-offs between threads told to
// ThreadSanitizer. Work given to a QThreadPool and the result coming back are ordered by Qt's
// own locks, which TSan cannot see (Debian's Qt is not built with it) and so reported every
// job as a race (tsan preset, tests/tsan.supp). Outside that preset the annotations compile to
// nothing and this is QtConcurrent::run built on QPromise.
#include <QFuture>
#include <QPromise>
#include <QThread>
#include <QThreadPool>
#include <algorithm>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

#if defined(__linux__)
#include <sys/resource.h>
#include <unistd.h>
#endif

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* address);
extern "C" void __tsan_release(void* address);
#endif

namespace ui {

namespace detail {
inline char poolHandOff;  // one token for every job: coarse, but only ever adds order
}

// In the thread that gives work or a result, before Qt passes it on.
inline void handOffThroughPool() {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(&detail::poolHandOff);
#endif
}
// In the thread that receives it, before touching it (e.g. in a QFutureWatcher's finished).
inline void takeOverFromPool() {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(&detail::poolHandOff);
#endif
}

// Pool threads run at a lower priority (nice 10) than the GUI thread: on two cores, two busy
// workers otherwise starve the event loop (a 400 ms stall was measured at nside 2048 while
// histograms were counted). Linux nice is per thread; each worker lowers itself once.
inline void lowerWorkerPriority() {
#if defined(__linux__)
  thread_local bool lowered = false;
  if (!lowered) {
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
    lowered = true;
  }
#endif
}

// A job's outcome, shared by the pool thread that writes it and the GUI thread that takes it.
// Kept out of the QFuture on purpose: a QFuture's results are freed by whichever thread drops
// the last reference, through Qt's uninstrumented reference count, which TSan cannot order;
// a shared_ptr's count it can.
template <class Result>
struct PoolJob {
  struct Outcome {
    std::optional<Result> value;
    std::exception_ptr error;
  };
  QFuture<void> future;  // finished once the outcome is in
  std::shared_ptr<Outcome> outcome = std::make_shared<Outcome>();

  // In the receiving thread, once `future` has finished: the result, or the work's exception.
  Result take() const {
    takeOverFromPool();
    if (outcome->error) std::rethrow_exception(outcome->error);
    return std::move(*outcome->value);
  }
};

// The pool for the views' computations (textures, histograms, spectra, masks, comparisons).
// Not QThreadPool::globalInstance(): Qt's raster engine splits large fills and image
// conversions over the global pool and waits for them, so long jobs there froze painting
// (1.7 s measured while spectra were computed at nside 512).
inline QThreadPool* computePool() {
  static QThreadPool* pool = [] {
    auto* p = new QThreadPool;
    p->setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    return p;
  }();
  return pool;
}

// Runs `work()` on `pool`; take the result with PoolJob::take when its future has finished.
template <class Work>
PoolJob<std::invoke_result_t<Work&>> runOnPool(QThreadPool* pool, Work work) {
  using Result = std::invoke_result_t<Work&>;
  PoolJob<Result> job;
  auto promise = std::make_shared<QPromise<void>>();
  job.future = promise->future();
  promise->start();
  std::function<void()> task = [promise, outcome = job.outcome, work = std::move(work)]() mutable {
    takeOverFromPool();
    lowerWorkerPriority();
    {
      Work running = std::move(work);  // its captures die here, before the hand-off back
      try {
        outcome->value.emplace(running());
      } catch (...) {
        outcome->error = std::current_exception();
      }
    }
    outcome.reset();
    handOffThroughPool();
    promise->finish();
  };
  handOffThroughPool();  // after the task is built: everything it holds is handed over
  pool->start(std::move(task));
  return job;
}

}  // namespace ui
