#pragma once
// Progress and cancellation for long computations, without Qt: a callback that receives
// (fraction, evaluations, ETA, text) and an atomic flag the caller may raise at any time.
// ui/jobs bridges these to QFuture progress; the CLI prints them.
#include <atomic>
#include <chrono>
#include <functional>
#include <string>

namespace sky {

struct ProgressInfo {
  double fraction = 0.0;           // 0..1
  long long evaluations = 0;       // model rows (or steps) done so far
  long long totalEvaluations = 0;  // expected total, 0 if unknown
  double secondsElapsed = 0.0;
  double secondsRemaining = -1.0;  // -1 while unknown
  std::string stage;               // e.g. "image 2/3"
};

class Progress {
 public:
  Progress() = default;
  Progress(std::function<void(const ProgressInfo&)> callback, const std::atomic<bool>* cancelFlag)
      : callback_(std::move(callback)), cancel_(cancelFlag) {}

  bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
  // Throws SkyError(Cancelled) if the flag is raised. Call between batches.
  void throwIfCancelled() const;
  // Reports progress (rate-limited to ~20 Hz unless `force`), then checks cancellation.
  void report(long long done, long long total, const std::string& stage = {}, bool force = false);

 private:
  std::function<void(const ProgressInfo&)> callback_;
  const std::atomic<bool>* cancel_ = nullptr;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point lastReport_{};
};

}  // namespace sky
