#pragma once
// The work of one batch: the inputs still to do, handed out one at a time as workers (threads
// of this process or remote MPI ranks) ask, and the manifest their records go to. Thread-safe.
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "batch/BatchManifest.h"

namespace sky {

struct BatchProgress {
  size_t finished = 0;  // ok or failed, this run
  size_t failed = 0;
  size_t total = 0;  // inputs this run set out to do
  double elapsedSeconds = 0;
  double secondsRemaining = -1;  // unknown until one input finished
};

class BatchLedger {
 public:
  using Reporter = std::function<void(const BatchRecord&, const BatchProgress&)>;
  BatchLedger(std::vector<size_t> pending, ManifestAppender& manifest, Reporter report = {});

  // The next input to do, or nothing once all are handed out (or after stopHandingOut()).
  std::optional<size_t> next();
  // Appends the record to the manifest and reports progress.
  void finish(const BatchRecord& record);
  // Cancellation: what is in flight finishes, nothing new starts.
  void stopHandingOut();
  BatchProgress progress() const;

 private:
  BatchProgress progressLocked() const;
  mutable std::mutex mutex_;
  std::deque<size_t> pending_;
  size_t total_;
  size_t finished_ = 0, failed_ = 0;
  ManifestAppender& manifest_;
  Reporter report_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace sky
