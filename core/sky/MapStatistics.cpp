#include "sky/MapStatistics.h"

#include <cmath>
#include <limits>

#include "sky/SkyMap.h"

namespace sky {

FieldStatistics computeStatistics(std::span<const double> values) {
  FieldStatistics s;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  // Welford's update keeps the variance accurate for maps with a large offset.
  double mean = 0.0, m2 = 0.0;
  for (double v : values) {
    if (isMasked(v)) {
      ++s.maskedCount;
      continue;
    }
    ++s.validCount;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    const double delta = v - mean;
    mean += delta / static_cast<double>(s.validCount);
    m2 += delta * (v - mean);
  }
  s.maskedFraction = values.empty() ? 0.0 : static_cast<double>(s.maskedCount) / values.size();
  if (s.validCount == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.min = s.max = s.mean = s.std = nan;
    return s;
  }
  s.min = lo;
  s.max = hi;
  s.mean = mean;
  s.std = std::sqrt(m2 / static_cast<double>(s.validCount));  // population std, as numpy's
  return s;
}

}  // namespace sky
