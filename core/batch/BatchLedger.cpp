#include "batch/BatchLedger.h"

namespace sky {

BatchLedger::BatchLedger(std::vector<size_t> pending, ManifestAppender& manifest, Reporter report)
    : pending_(pending.begin(), pending.end()),
      total_(pending.size()),
      manifest_(manifest),
      report_(std::move(report)) {}

std::optional<size_t> BatchLedger::next() {
  std::lock_guard lock(mutex_);
  if (pending_.empty()) return std::nullopt;
  const size_t index = pending_.front();
  pending_.pop_front();
  return index;
}

void BatchLedger::finish(const BatchRecord& record) {
  std::lock_guard lock(mutex_);
  manifest_.append(record);
  ++finished_;
  if (!record.ok()) ++failed_;
  if (report_) report_(record, progressLocked());
}

void BatchLedger::stopHandingOut() {
  std::lock_guard lock(mutex_);
  total_ -= pending_.size();
  pending_.clear();
}

BatchProgress BatchLedger::progress() const {
  std::lock_guard lock(mutex_);
  return progressLocked();
}

BatchProgress BatchLedger::progressLocked() const {
  BatchProgress p;
  p.finished = finished_;
  p.failed = failed_;
  p.total = total_;
  p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (finished_ > 0)
    p.secondsRemaining = p.elapsedSeconds / static_cast<double>(finished_) * static_cast<double>(total_ - finished_);
  return p;
}

}  // namespace sky
