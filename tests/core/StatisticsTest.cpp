#include "TestSupport.h"
#include "sky/MapStatistics.h"
#include "sky/SkyMap.h"

using namespace sky;

TEST(Statistics, SkipsMaskedPixels) {
  const std::vector<double> v = {1.0, 2.0, kUnseen, 3.0, std::nan(""), 6.0};
  const FieldStatistics s = computeStatistics(v);
  EXPECT_EQ(s.validCount, 4);
  EXPECT_EQ(s.maskedCount, 2);
  EXPECT_DOUBLE_EQ(s.maskedFraction, 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 6.0);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  EXPECT_DOUBLE_EQ(s.std, std::sqrt((4.0 + 1.0 + 0.0 + 9.0) / 4.0));  // population std
}

TEST(Statistics, AllMaskedGivesNaN) {
  const std::vector<double> v = {kUnseen, kUnseen};
  const FieldStatistics s = computeStatistics(v);
  EXPECT_EQ(s.validCount, 0);
  EXPECT_DOUBLE_EQ(s.maskedFraction, 1.0);
  EXPECT_TRUE(std::isnan(s.mean));
}

TEST(Statistics, StableWithLargeOffset) {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(1e9 + (i % 2 ? 1.0 : -1.0));
  EXPECT_NEAR(computeStatistics(v).std, 1.0, 1e-6);
}
