#include "model/ForwardTuner.h"

#include <algorithm>
#include <limits>

namespace sky {

namespace {
constexpr size_t kSamplesPerCandidate = 1 + static_cast<size_t>(ForwardTuner::kTimedCalls);  // warm-up + timed
}  // namespace

ForwardTuner::ForwardTuner(int maxRows) {
  std::vector<int> rows = {std::clamp(maxRows, 1, 32)};
  if (rows[0] > 8) rows.push_back(8);
  std::vector<ForwardConfig> candidates;
  for (const bool channelsLast : {false, true}) {
    for (const int r : rows) candidates.push_back({channelsLast, r});
  }
  *this = ForwardTuner(std::move(candidates));
}

ForwardTuner::ForwardTuner(std::vector<ForwardConfig> candidates)
    : candidates_(std::move(candidates)), samples_(candidates_.size()) {
  if (candidates_.empty()) candidates_.push_back({}), samples_.resize(1);
}

ForwardTuner::Choice ForwardTuner::choose(int rowsAvailable) const {
  rowsAvailable = std::max(rowsAvailable, 1);
  // Still exploring: the first candidate that lacks timings and fits a full call.
  for (size_t i = 0; i < candidates_.size(); ++i) {
    if (samples_[i].size() < kSamplesPerCandidate && candidates_[i].rows <= rowsAvailable) {
      return {candidates_[i], static_cast<int>(i)};
    }
  }
  // Otherwise the fastest timed candidate that fits; a short tail runs the best one's shape.
  ForwardConfig pick = best();
  double fastest = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < candidates_.size(); ++i) {
    const double mean = meanSeconds(i);
    if (candidates_[i].rows <= rowsAvailable && mean < fastest) fastest = mean, pick = candidates_[i];
  }
  pick.rows = std::min(pick.rows, rowsAvailable);
  return {pick, -1};
}

void ForwardTuner::record(int candidate, double secondsPerRow) {
  if (candidate < 0 || candidate >= static_cast<int>(samples_.size())) return;
  samples_[static_cast<size_t>(candidate)].push_back(secondsPerRow);
}

bool ForwardTuner::settled() const {
  return std::all_of(samples_.begin(), samples_.end(), [](const auto& s) { return s.size() >= kSamplesPerCandidate; });
}

double ForwardTuner::meanSeconds(size_t candidate) const {
  const auto& s = samples_[candidate];
  if (s.size() < kSamplesPerCandidate) return std::numeric_limits<double>::infinity();
  double sum = 0;
  for (size_t k = 1; k < s.size(); ++k) sum += s[k];
  return sum / static_cast<double>(s.size() - 1);
}

ForwardConfig ForwardTuner::best() const {
  size_t pick = 0;
  for (size_t i = 1; i < candidates_.size(); ++i) {
    if (meanSeconds(i) < meanSeconds(pick)) pick = i;
  }
  return candidates_[pick];
}

std::string describeLayout(const ForwardConfig& config) {
  return std::string(config.channelsLast ? "channels-last" : "NCHW") + ", " + std::to_string(config.rows) +
         (config.rows == 1 ? " row" : " rows") + " per call";
}

}  // namespace sky
