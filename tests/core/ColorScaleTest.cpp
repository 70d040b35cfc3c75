// Colour scales from percentiles: the histogram selection must give exactly the nearest-rank
// value that sorting gives, whatever the data (duplicates, masked pixels, outliers, constants).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "render/Colormap.h"
#include "sky/SkyMap.h"

using namespace sky;

namespace {

// The reference: sort the unmasked values, take rank round(p/100 (n-1)).
double sortedPercentile(std::span<const double> values, double p) {
  std::vector<double> v;
  for (double x : values)
    if (!isMasked(x)) v.push_back(x);
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5))];
}

void expectExact(const std::vector<double>& values, double lo, double hi) {
  const ColorScale s = ColorScale::fromValues(values, lo, hi, false);
  EXPECT_EQ(s.min, sortedPercentile(values, lo));
  EXPECT_EQ(s.max, sortedPercentile(values, hi));
}

}  // namespace

TEST(ColorScale, PercentilesEqualSortingOnGaussianDataWithMaskedPixelsAndOutliers) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> g(0.0, 1e-4);
  std::vector<double> v(2'000'003);
  for (double& x : v) x = g(rng);
  for (size_t p = 0; p < v.size(); p += 97) v[p] = kUnseen;
  v[5] = std::nan("");
  v[6] = INFINITY;
  v[7] = 1e12;  // one far outlier squeezes every other value into a few bins
  v[8] = -3e11;
  expectExact(v, 0.5, 99.5);
  expectExact(v, 0.0, 100.0);
  expectExact(v, 25.0, 75.0);
}

TEST(ColorScale, PercentilesEqualSortingWithHeavyDuplicatesAndTinyInputs) {
  std::vector<double> mask(1'000'000, 1.0);  // a 0/1 mask field, 17% zeros
  for (size_t p = 0; p < mask.size(); p += 6) mask[p] = 0.0;
  expectExact(mask, 0.5, 99.5);
  expectExact(mask, 10.0, 20.0);
  expectExact({2.0, -1.0}, 0.5, 99.5);
  expectExact({5.0, kUnseen, 4.0, 6.0, 5.0}, 0.0, 50.0);
}

TEST(ColorScale, DegenerateInputsGiveAUsableRange) {
  const ColorScale constant = ColorScale::fromValues(std::vector<double>(10, 2.5), 0.5, 99.5, false);
  EXPECT_DOUBLE_EQ(constant.min, 1.5);
  EXPECT_DOUBLE_EQ(constant.max, 3.5);
  const ColorScale none = ColorScale::fromValues(std::vector<double>(10, kUnseen), 0.5, 99.5, false);
  EXPECT_DOUBLE_EQ(none.min, -1.0);
  EXPECT_DOUBLE_EQ(none.max, 1.0);
  const ColorScale symmetric = ColorScale::fromValues(std::vector<double>{-1.0, 0.0, 3.0}, 0.0, 100.0, true);
  EXPECT_DOUBLE_EQ(symmetric.min, -3.0);
  EXPECT_DOUBLE_EQ(symmetric.max, 3.0);
}
