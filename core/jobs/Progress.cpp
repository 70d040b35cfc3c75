#include "jobs/Progress.h"

#include <algorithm>

#include "util/Error.h"

namespace sky {

void Progress::throwIfCancelled() const {
  if (cancelled()) throw SkyError(ErrorKind::Cancelled, "cancelled by the user");
}

void Progress::report(long long done, long long total, const std::string& stage, bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (callback_ && (force || now - lastReport_ > std::chrono::milliseconds(50))) {
    lastReport_ = now;
    ProgressInfo info;
    info.evaluations = done;
    info.totalEvaluations = total;
    info.fraction = total > 0 ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total)) : 0.0;
    info.secondsElapsed = std::chrono::duration<double>(now - start_).count();
    if (done > 0 && total > 0) info.secondsRemaining = info.secondsElapsed * static_cast<double>(total - done) / done;
    info.stage = stage;
    callback_(info);
  }
  throwIfCancelled();
}

}  // namespace sky
