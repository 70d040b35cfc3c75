#include "TestSupport.h"
#include "sky/Resample.h"

using namespace sky;
using skytest::expectSkyError;
using skytest::fixture;

TEST(Resample, DegradeAndUpgradeMatchHealpyUdGrade) {
  const SkyMap map(32, Ordering::Ring, {fixture("t_n32_masked_values.npy").values});
  for (int nside : {8, 64}) {
    const SkyMap out = udGrade(map, nside);
    EXPECT_EQ(out.ordering(), Ordering::Ring);
    const auto ref = fixture("udgrade_t_n32_to_" + std::to_string(nside) + ".npy").values;
    ASSERT_EQ(out.field(0).size(), ref.size());
    for (size_t p = 0; p < ref.size(); ++p) {
      if (isMasked(ref[p])) {
        ASSERT_TRUE(isMasked(out.field(0)[p])) << p;
      } else {
        ASSERT_NEAR(out.field(0)[p], ref[p], 1e-12 * (1 + std::abs(ref[p]))) << p;
      }
    }
  }
}

TEST(Resample, DegradePreservesTheMeanOfAFullSky) {
  const SkyMap map(32, Ordering::Ring, {fixture("t_n32_ring_values.npy").values});
  double a = 0, b = 0;
  for (double v : map.field(0)) a += v;
  const SkyMap low = udGrade(map, 4);
  for (double v : low.field(0)) b += v;
  EXPECT_NEAR(a / map.npix(), b / low.npix(), 1e-12);
  expectSkyError([&] { udGrade(map, 6); }, ErrorKind::InvalidArgument, "power of two");
}
