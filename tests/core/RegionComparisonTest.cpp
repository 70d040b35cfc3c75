// Selection statistics and attribution comparisons, against sums and formulas computed here
// independently, and against their invariants (perfect and anti-correlation, shares adding up).
#include <numbers>
#include <set>

#include "TestSupport.h"
#include "analysis/AttributionComparison.h"
#include "analysis/RegionStatistics.h"

namespace {

sky::SkyMap mapOf(int nside, std::vector<double> v) {
  return sky::SkyMap(nside, sky::Ordering::Ring, std::vector<std::vector<double>>{std::move(v)});
}

sky::Selection discSelection() {
  return sky::Selection().combined(sky::SelectionMode::Replace, sky::DiscRegion{{1.3, 0.4}, 0.5});
}

}  // namespace

TEST(RegionStatistics, MatchesDirectSumsAndAddsUp) {
  const int nside = 16;
  auto m = skytest::randomValues(static_cast<size_t>(sky::npixForNside(nside)), 1, 100.0);
  auto a = skytest::randomValues(m.size(), 2, 1e-3);
  m[10] = sky::kUnseen;
  a[20] = std::nan("");
  const sky::SkyMap map = mapOf(nside, m), attr = mapOf(nside, a);
  const sky::Selection sel = discSelection();
  const auto s = sky::summariseSelection(sel, &map, &attr);
  const auto mask = sel.maskFor(nside);
  long double sumIn = 0, absIn = 0, absAll = 0, mapIn = 0;
  int64_t nIn = 0, nMapIn = 0, nMapOut = 0;
  for (size_t p = 0; p < m.size(); ++p) {
    if (!sky::isMasked(m[p])) (mask.inside[p] ? nMapIn : nMapOut)++;
    if (mask.inside[p] && !sky::isMasked(m[p])) mapIn += m[p];
    if (sky::isMasked(a[p])) continue;
    absAll += std::abs(a[p]);
    if (mask.inside[p]) {
      sumIn += a[p];
      absIn += std::abs(a[p]);
      ++nIn;
    }
  }
  EXPECT_EQ(s.inside.pixels, nMapIn);
  EXPECT_EQ(s.outside.pixels, nMapOut);
  EXPECT_EQ(s.inside.pixels + s.outside.pixels, sky::npixForNside(nside) - 1);
  EXPECT_NEAR(s.inside.skyFraction, static_cast<double>(nMapIn) / static_cast<double>(m.size()), 1e-15);
  EXPECT_NEAR(s.inside.totalAttribution, static_cast<double>(sumIn), 1e-12);
  EXPECT_NEAR(s.inside.meanAttribution, static_cast<double>(sumIn / nIn), 1e-15);
  EXPECT_NEAR(s.inside.absShare, static_cast<double>(absIn / absAll), 1e-12);
  EXPECT_NEAR(s.inside.absShare + s.outside.absShare, 1.0, 1e-12);
  EXPECT_NEAR(s.inside.meanMap, static_cast<double>(mapIn / nMapIn), 1e-9);
  // Without an attribution the attribution fields are NaN, not zero.
  EXPECT_TRUE(std::isnan(sky::summariseSelection(sel, &map, nullptr).inside.meanAttribution));
  EXPECT_THROW(sky::summariseSelection(sel, nullptr, nullptr), sky::SkyError);
}

TEST(AttributionComparison, RanksAndPearsonByHand) {
  EXPECT_EQ(sky::averageRanks({3.0, 1.0, 2.0, 2.0}), (std::vector<double>{4.0, 1.0, 2.5, 2.5}));
  const std::vector<double> x{1, 2, 3, 4, 5}, y{2, 1, 4, 3, 6};
  // means 3 and 3.2; sxy = 10, sxx = 10, syy = 14.8.
  EXPECT_NEAR(sky::pearsonCorrelation(x, y), 10.0 / std::sqrt(10.0 * 14.8), 1e-15);
}

TEST(AttributionComparison, InvariantsOfRelatedMaps) {
  const int nside = 16;
  const auto a = skytest::randomValues(static_cast<size_t>(sky::npixForNside(nside)), 4);
  std::vector<double> affine(a.size()), negated(a.size()), cubed(a.size());
  for (size_t p = 0; p < a.size(); ++p) {
    affine[p] = 3 * a[p] + 1e-9;
    negated[p] = -a[p];
    cubed[p] = a[p] * a[p] * a[p];
  }
  const sky::SkyMap A = mapOf(nside, a);
  const auto same = sky::compareAttributions(A, mapOf(nside, affine));
  EXPECT_NEAR(same.pearson, 1.0, 1e-12);
  EXPECT_NEAR(same.spearman, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(same.topOverlap, 1.0);
  EXPECT_DOUBLE_EQ(same.signAgreement, 1.0);
  for (const auto& b : same.bands) EXPECT_NEAR(b.r, 1.0, 1e-9);
  const auto opposite = sky::compareAttributions(A, mapOf(nside, negated));
  EXPECT_NEAR(opposite.pearson, -1.0, 1e-12);
  EXPECT_DOUBLE_EQ(opposite.signAgreement, 0.0);
  EXPECT_DOUBLE_EQ(opposite.topOverlap, 1.0);  // the same pixels carry the largest |a|
  for (const auto& b : opposite.bands) EXPECT_NEAR(b.r, -1.0, 1e-9);
  const auto monotone = sky::compareAttributions(A, mapOf(nside, cubed));
  EXPECT_NEAR(monotone.spearman, 1.0, 1e-12);
  EXPECT_LT(monotone.pearson, 0.95);
  // Bands tile [2, lmax] without gaps.
  ASSERT_EQ(same.bands.size(), 8u);
  EXPECT_EQ(same.bands.front().lmin, 2);
  EXPECT_EQ(same.bands.back().lmax, 3 * nside - 1);
  for (size_t k = 1; k < same.bands.size(); ++k) EXPECT_EQ(same.bands[k].lmin, same.bands[k - 1].lmax + 1);
}

TEST(AttributionComparison, OverlapAndSignsOfUnrelatedMapsByBruteForce) {
  const int nside = 8;
  const auto a = skytest::randomValues(static_cast<size_t>(sky::npixForNside(nside)), 5);
  const auto b = skytest::randomValues(a.size(), 6);
  sky::ComparisonOptions o;
  o.topFraction = 0.1;
  const auto c = sky::compareAttributions(mapOf(nside, a), mapOf(nside, b), o);
  auto top = [](const std::vector<double>& v, size_t k) {
    std::vector<size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), size_t{0});
    std::sort(idx.begin(), idx.end(), [&](size_t i, size_t j) { return std::abs(v[i]) > std::abs(v[j]); });
    return std::set<size_t>(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k));
  };
  const size_t k = static_cast<size_t>(std::llround(0.1 * static_cast<double>(a.size())));
  const auto ta = top(a, k), tb = top(b, k);
  std::set<size_t> both, either;
  std::set_intersection(ta.begin(), ta.end(), tb.begin(), tb.end(), std::inserter(both, both.end()));
  std::set_union(ta.begin(), ta.end(), tb.begin(), tb.end(), std::inserter(either, either.end()));
  EXPECT_DOUBLE_EQ(c.topOverlap, static_cast<double>(both.size()) / static_cast<double>(either.size()));
  size_t agree = 0;
  for (size_t p = 0; p < a.size(); ++p) agree += (a[p] > 0) == (b[p] > 0);
  EXPECT_DOUBLE_EQ(c.signAgreement, static_cast<double>(agree) / static_cast<double>(a.size()));
  EXPECT_LT(std::abs(c.pearson), 0.15);  // 768 independent pixels
  // Inside a selection, only its pixels count.
  const auto mask = discSelection().maskFor(nside);
  const auto inside = sky::compareAttributions(mapOf(nside, a), mapOf(nside, b), o, &mask);
  EXPECT_EQ(inside.pixels, mask.count());
  EXPECT_THROW(sky::compareAttributions(mapOf(nside, a), mapOf(16, skytest::randomValues(3072, 1))), sky::SkyError);
}
