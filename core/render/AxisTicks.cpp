#include "render/AxisTicks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sky {

namespace {

// 1, 2 or 5 times a power of ten, the nearest to `raw` (by ratio).
double niceStep(double raw) {
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  double best = decade;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (std::abs(std::log(m * decade / raw)) < std::abs(std::log(best / raw))) best = m * decade;
  }
  return best;
}

}  // namespace

std::string tickLabel(double value, double step) {
  if (std::abs(value) < step * 1e-6) return "0";
  char text[32];
  const double magnitude = std::abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    std::snprintf(text, sizeof text, "%.2g", value);
  } else {
    // Decimals enough to tell neighbouring ticks apart, never more than three significant digits.
    const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 3);
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    char three[32];
    std::snprintf(three, sizeof three, "%.3g", value);
    if (std::string(text).size() > std::string(three).size()) return three;
  }
  return text;
}

std::vector<AxisTick> linearTicks(double lo, double hi, int target) {
  std::vector<AxisTick> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || target < 1) return ticks;
  const double step = niceStep((hi - lo) / target);
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push_back({v, tickLabel(v, step)});
  }
  return ticks;
}

std::vector<AxisTick> logTicks(double lo, double hi) {
  std::vector<AxisTick> ticks;
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return ticks;
  const int first = static_cast<int>(std::floor(std::log10(lo))), last = static_cast<int>(std::ceil(std::log10(hi)));
  const bool minor = std::log10(hi / lo) < 2.5;  // few decades show: 2 and 5 between them
  for (int d = first; d <= last; ++d) {
    for (const double m : {1.0, 2.0, 5.0}) {
      if (m != 1.0 && !minor) continue;
      const double v = m * std::pow(10.0, d);
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      char text[32];
      std::snprintf(text, sizeof text, "%g", v);
      ticks.push_back({v, text});
    }
  }
  return ticks;
}

}  // namespace sky
