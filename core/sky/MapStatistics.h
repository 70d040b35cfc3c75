#pragma once
// Summary statistics of one map field that skip masked (UNSEEN/NaN) pixels.
#include <cstdint>
#include <span>

namespace sky {

struct FieldStatistics {
  int64_t validCount = 0;
  int64_t maskedCount = 0;
  double maskedFraction = 0.0;
  // NaN when there is no valid pixel.
  double min = 0.0, max = 0.0, mean = 0.0, std = 0.0;
};

FieldStatistics computeStatistics(std::span<const double> values);

}  // namespace sky
