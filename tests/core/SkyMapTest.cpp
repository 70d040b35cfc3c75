#include <healpix_cxx/healpix_base.h>

#include <random>

#include "TestSupport.h"
#include "sky/SkyMap.h"

using namespace sky;
using skytest::expectSkyError;

TEST(SkyMap, NsideMustBeAPowerOfTwo) {
  EXPECT_TRUE(isValidNside(1));
  EXPECT_TRUE(isValidNside(2048));
  EXPECT_FALSE(isValidNside(0));
  EXPECT_FALSE(isValidNside(3));
  EXPECT_FALSE(isValidNside(-4));
  EXPECT_FALSE(isValidNside(int64_t{1} << 30));
  expectSkyError([] { SkyMap::filled(12, 1, 0.0); }, ErrorKind::InvalidArgument, "power of two");
}

TEST(SkyMap, FieldsMustMatchNside) {
  expectSkyError([] { SkyMap(4, Ordering::Ring, {std::vector<double>(100)}); }, ErrorKind::InvalidData, "needs 192");
  expectSkyError([] { SkyMap(4, Ordering::Ring, {}); }, ErrorKind::InvalidArgument, "at least one field");
}

TEST(SkyMap, MaskedValuesFollowHealpy) {
  EXPECT_TRUE(isMasked(kUnseen));
  EXPECT_TRUE(isMasked(static_cast<double>(static_cast<float>(kUnseen))));  // as stored in float32 files
  EXPECT_TRUE(isMasked(std::nan("")));
  EXPECT_TRUE(isMasked(INFINITY));
  EXPECT_FALSE(isMasked(0.0));
  EXPECT_FALSE(isMasked(-1.6e30));  // close to, but not, UNSEEN
}

TEST(SkyMap, DefaultFieldNamesAndAliases) {
  const SkyMap tqu = SkyMap::filled(2, 3, 1.0);
  EXPECT_EQ(tqu.fieldName(0), "TEMPERATURE");
  EXPECT_EQ(tqu.fieldIndex("T"), 0);
  EXPECT_EQ(tqu.fieldIndex("i"), 0);
  EXPECT_EQ(tqu.fieldIndex("Q"), 1);
  EXPECT_EQ(tqu.fieldIndex("U_POLARISATION"), 2);
  EXPECT_EQ(tqu.fieldIndex("E"), -1);
}

TEST(SkyMap, RingNestedRoundTripIsExactAndMatchesHealpix) {
  const int nside = 16;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> gauss;
  std::vector<double> values(npixForNside(nside));
  for (double& v : values) v = gauss(rng);
  values[17] = kUnseen;
  const SkyMap ring(nside, Ordering::Ring, {values});
  const SkyMap nested = ring.toOrdering(Ordering::Nested);
  EXPECT_EQ(nested.ordering(), Ordering::Nested);
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  for (int64_t p = 0; p < ring.npix(); p += 37) {
    EXPECT_EQ(nested.field(0)[base.ring2nest(p)], values[p]);
  }
  const SkyMap back = nested.toOrdering(Ordering::Ring);
  EXPECT_TRUE(std::equal(back.field(0).begin(), back.field(0).end(), values.begin()));
}
