// Attribution aggregates over maps: class means, band shares of power, and the shares of
// |attribution| on mask edges and hot/cold spots, on maps built to give known answers.
#include <healpix_cxx/healpix_base.h>

#include "TestSupport.h"
#include "analysis/Aggregate.h"
#include "sky/Harmonics.h"

namespace {

sky::SkyMap mapOf(int nside, std::vector<double> v) {
  return sky::SkyMap(nside, sky::Ordering::Ring, std::vector<std::vector<double>>{std::move(v)});
}

}  // namespace

TEST(Aggregate, ClassMeansAreMeansOfTheirMaps) {
  const int nside = 8;
  const size_t npix = static_cast<size_t>(sky::npixForNside(nside));
  const auto a0 = skytest::randomValues(npix, 1), a1 = skytest::randomValues(npix, 2),
             a2 = skytest::randomValues(npix, 3);
  const auto m = mapOf(nside, skytest::randomValues(npix, 4));
  const auto agg =
      sky::aggregateAttributions({m, m, m}, {mapOf(nside, a0), mapOf(nside, a1), mapOf(nside, a2)}, {1, 0, 1});
  EXPECT_EQ(agg.classes[0].maps, 1);
  EXPECT_EQ(agg.classes[1].maps, 2);
  for (size_t p = 0; p < npix; p += 37) {
    EXPECT_DOUBLE_EQ(agg.classes[1].mean[p], (a0[p] + a2[p]) / 2);
    EXPECT_DOUBLE_EQ(agg.classes[1].meanAbs[p], (std::abs(a0[p]) + std::abs(a2[p])) / 2);
    EXPECT_DOUBLE_EQ(agg.classes[0].mean[p], a1[p]);
  }
  EXPECT_EQ(agg.classes[1].clMean.size(), static_cast<size_t>(3 * nside));
  EXPECT_TRUE(std::isnan(agg.classes[0].clStd[5]));  // one map: no scatter
  EXPECT_GT(agg.classes[1].clStd[5], 0.0);
}

TEST(Aggregate, BandSharesFollowTheAttributionsPower) {
  // An attribution with power only at 10 <= l <= 19: all of it in bands [2,11] and [12,21].
  const int nside = 16;
  std::mt19937 rng(5);
  std::normal_distribution<double> g;
  sky::AlmComponent a(3 * nside - 1);
  for (int l = 10; l < 20; ++l)
    for (int mm = 0; mm <= l; ++mm) a(l, mm) = {g(rng), mm == 0 ? 0.0 : g(rng)};
  const sky::SkyMap attribution = sky::almToMap({a}, nside);
  const auto m = mapOf(nside, skytest::randomValues(static_cast<size_t>(sky::npixForNside(nside)), 6));
  const auto agg = sky::aggregateAttributions({m}, {attribution}, {0});
  ASSERT_EQ(agg.bandLmin.size(), 5u);
  const auto& share = agg.classes[0].bandShare;
  // HEALPix analysis at lmax = 3 nside - 1 leaks a few 1e-6 of the power out of the band.
  EXPECT_NEAR(share[0] + share[1], 1.0, 1e-4);
  for (size_t b = 2; b < share.size(); ++b) EXPECT_LT(share[b], 1e-4);
  EXPECT_GT(share[0], 0.1);  // l = 10, 11 are in the first band
}

TEST(Aggregate, SharesOnMaskEdgesAndSpots) {
  const int nside = 16;
  const size_t npix = static_cast<size_t>(sky::npixForNside(nside));
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  std::vector<double> m(npix, 0.0);
  for (size_t p = 0; p < npix; ++p)
    if (base.pix2ang(static_cast<int64_t>(p)).theta < 0.3) m[p] = sky::kUnseen;  // a polar cap mask
  m[1500] = 50.0;                                                                // one hot pixel
  m[2000] = -50.0;
  m[2001] = -50.0;  // two cold ones
  const std::vector<double> ones(npix, 1.0);
  const auto agg = sky::aggregateAttributions({mapOf(nside, m)}, {mapOf(nside, ones)}, {1});
  // Unmasked pixels with a masked neighbour, counted here with healpix_cxx.
  size_t edge = 0;
  fix_arr<int64_t, 8> nb;
  for (size_t p = 0; p < npix; ++p) {
    if (sky::isMasked(m[p])) continue;
    base.neighbors(static_cast<int64_t>(p), nb);
    bool touches = false;
    for (size_t k = 0; k < 8; ++k) touches = touches || (nb[k] >= 0 && sky::isMasked(m[static_cast<size_t>(nb[k])]));
    edge += touches;
  }
  ASSERT_GT(edge, 10u);
  const auto& c = agg.classes[1];
  EXPECT_DOUBLE_EQ(c.maskEdgeShare, static_cast<double>(edge) / static_cast<double>(npix));
  EXPECT_DOUBLE_EQ(c.hotShare, 1.0 / static_cast<double>(npix));
  EXPECT_DOUBLE_EQ(c.coldShare, 2.0 / static_cast<double>(npix));
  EXPECT_EQ(agg.classes[0].maps, 0);
}

TEST(Aggregate, MismatchedInputsAreRefused) {
  const auto m = mapOf(4, std::vector<double>(192, 1.0));
  EXPECT_THROW(sky::aggregateAttributions({m, m}, {m}, {0, 1}), sky::SkyError);
  EXPECT_THROW(sky::aggregateAttributions({m}, {m}, {2}), sky::SkyError);
  EXPECT_THROW(sky::aggregateAttributions({}, {}, {}), sky::SkyError);
  EXPECT_THROW(sky::aggregateAttributions({m, m}, {m, mapOf(8, std::vector<double>(768, 1.0))}, {0, 1}), sky::SkyError);
}
