#pragma once
// Chooses how forward-only batches go through LibTorch (NCHW or channels-last memory, how many
// rows per call) from timings of the first real calls, so tuning costs no extra model
// evaluations. The choice does not change results: rows are independent in eval mode and
// oneDNN gives the same bits for either memory format (ModelTest checks both).
#include <string>
#include <vector>

namespace sky {

struct ForwardConfig {
  bool channelsLast = false;  // input memory format handed to LibTorch
  int rows = 1;               // images per LibTorch call
  bool operator==(const ForwardConfig&) const = default;
};

class ForwardTuner {
 public:
  // {NCHW, channels-last} x {the memory cap `maxRows` (at most 32), 8 rows if fewer}.
  explicit ForwardTuner(int maxRows);
  explicit ForwardTuner(std::vector<ForwardConfig> candidates);

  struct Choice {
    ForwardConfig config;  // config.rows <= the rows available
    int candidate = -1;    // >= 0: time this call and record() it
  };
  // What the next LibTorch call should be, given how many rows of the batch remain.
  Choice choose(int rowsAvailable) const;
  void record(int candidate, double secondsPerRow);

  bool settled() const;        // every candidate has been timed
  ForwardConfig best() const;  // the fastest so far (the first candidate before any timing)
  const std::vector<ForwardConfig>& candidates() const { return candidates_; }

  // Each candidate's first call is a warm-up (LibTorch specialises the graph per shape) and
  // is not counted; the next `kTimedCalls` are.
  static constexpr int kTimedCalls = 2;

 private:
  double meanSeconds(size_t candidate) const;

  std::vector<ForwardConfig> candidates_;
  std::vector<std::vector<double>> samples_;  // seconds per row, warm-up first
};

// "channels-last, 8 rows per call".
std::string describeLayout(const ForwardConfig& config);

}  // namespace sky
