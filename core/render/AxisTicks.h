#pragma once
// Tick positions people read at a glance, as plotting libraries choose them: 1-2-5 steps on a
// linear axis, decades (with 2 and 5 between when few decades show) on a logarithmic one, and
// labels with at most three significant digits.
#include <string>
#include <vector>

namespace sky {

struct AxisTick {
  double value;
  std::string label;
};

// About `target` ticks covering [lo, hi], at multiples of 1, 2 or 5 times a power of ten.
std::vector<AxisTick> linearTicks(double lo, double hi, int target = 5);
// Ticks for a logarithmic axis over [lo, hi] (both > 0): every decade, and 2 and 5 times each
// when the range spans fewer than two and a half decades.
std::vector<AxisTick> logTicks(double lo, double hi);
// A tick label: at most three significant digits, scientific notation outside [1e-3, 1e5).
std::string tickLabel(double value, double step);

}  // namespace sky
