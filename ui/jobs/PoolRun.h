#pragma once
// QtConcurrent::run for our jobs, with its two hand-offs between threads told to
// ThreadSanitizer. Work given to a QThreadPool and the result coming back are ordered by Qt's
// own locks, which TSan cannot see (Debian's Qt is not built with it) and so reported every
// job as a race (tsan preset, tests/tsan.supp). Outside that preset the annotations compile to
// nothing and this is QtConcurrent::run built on QPromise.
#include <QFuture>
#include <QPromise>
#include <QThreadPool>
#include <exception>
#include <functional>
#include <memory>
#include <type_traits>

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

// Runs `work()` on `pool`; an exception it throws is stored in the future.
template <class Work>
QFuture<std::invoke_result_t<Work&>> runOnPool(QThreadPool* pool, Work work) {
  using Result = std::invoke_result_t<Work&>;
  auto promise = std::make_shared<QPromise<Result>>();
  QFuture<Result> future = promise->future();
  promise->start();
  std::function<void()> task = [promise, work = std::move(work)]() mutable {
    takeOverFromPool();
    {
      Work job = std::move(work);  // its captures die here, before the hand-off back
      try {
        promise->addResult(job());
      } catch (...) {
        promise->setException(std::current_exception());
      }
    }
    handOffThroughPool();
    promise->finish();
  };
  handOffThroughPool();  // after the task is built: everything it holds is handed over
  pool->start(std::move(task));
  return future;
}

}  // namespace ui
