#include <gtest/gtest.h>

#include <cmath>

#include "render/AxisTicks.h"

using sky::linearTicks;
using sky::logTicks;

namespace {
int significantDigits(const std::string& label) {
  int digits = 0;
  bool leading = true;
  for (const char ch : label) {
    if (ch == 'e' || ch == 'E') break;
    if (ch < '0' || ch > '9') continue;
    if (ch == '0' && leading) continue;
    leading = false;
    ++digits;
  }
  return digits;
}
}  // namespace

// The multipole axis of an nside-1024 spectrum once had ticks at 653.5, 967.6, 1433, ...
TEST(AxisTicks, LinearTicksStepBy1_2Or5TimesAPowerOfTen) {
  const auto ticks = linearTicks(2, 3071, 6);
  ASSERT_GE(ticks.size(), 4u);
  const double step = ticks[1].value - ticks[0].value;
  EXPECT_DOUBLE_EQ(step, 500.0);
  EXPECT_EQ(ticks[0].label, "500");
  for (size_t k = 1; k < ticks.size(); ++k) EXPECT_NEAR(ticks[k].value - ticks[k - 1].value, step, 1e-9);
  for (const auto& t : linearTicks(-0.0583, 0.0583, 5)) {
    EXPECT_LE(significantDigits(t.label), 3) << t.label;
    EXPECT_NEAR(std::fmod(std::abs(t.value) + 1e-12, 0.02), 0.0, 1e-9) << t.value;  // steps of 0.02
  }
  EXPECT_EQ(linearTicks(-1, 1, 4)[2].label, "0");
}

TEST(AxisTicks, LogTicksAreDecadesWithTwoAndFiveOnShortRanges) {
  const auto wide = logTicks(3e-2, 4e4);  // six decades: decades only
  std::vector<std::string> labels;
  for (const auto& t : wide) labels.push_back(t.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"0.1", "1", "10", "100", "1000", "10000"}));
  const auto narrow = logTicks(150, 4000);
  labels.clear();
  for (const auto& t : narrow) labels.push_back(t.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"200", "500", "1000", "2000"}));
  // 33..6000 touches four decades but spans 2.3 of them: still 2 and 5 between.
  labels.clear();
  for (const auto& t : logTicks(33, 6000)) labels.push_back(t.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"50", "100", "200", "500", "1000", "2000", "5000"}));
  EXPECT_TRUE(logTicks(-1, 10).empty());
}
