#include <healpix_cxx/healpix_base.h>

#include <random>

#include "TestSupport.h"
#include "sky/NestedToRing.h"
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

TEST(SkyMap, InlinedNestedToRingMatchesHealpixEverywhere) {
  for (int64_t nside = 1; nside <= 512; nside *= 2) {
    const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
    const NestedToRing ring(nside);
    int64_t wrong = 0;
    for (int64_t p = 0; p < 12 * nside * nside; ++p) wrong += ring(p) != base.nest2ring(p);
    EXPECT_EQ(wrong, 0) << "nside " << nside;
  }
  const T_Healpix_Base<int64_t> big(8192, RING, SET_NSIDE);
  const NestedToRing ring(8192);
  for (int64_t p = 0; p < big.Npix(); p += 999983) EXPECT_EQ(ring(p), big.nest2ring(p)) << p;
}

TEST(SkyMap, PlacingChunksEqualsReorderingTheWholeMap) {
  const int nside = 32;
  const auto values = skytest::randomValues(static_cast<size_t>(npixForNside(nside)), 5);
  const SkyMap nested(nside, Ordering::Nested, {std::vector<double>(values.begin(), values.end())});
  for (const Ordering to : {Ordering::Ring, Ordering::Nested}) {
    std::vector<double> placed(values.size());
    for (size_t first = 0; first < values.size(); first += 1000) {
      const size_t n = std::min<size_t>(1000, values.size() - first);
      placePixels(nside, Ordering::Nested, static_cast<int64_t>(first), std::span(values).subspan(first, n), to,
                  placed);
    }
    const SkyMap whole = nested.toOrdering(to);
    EXPECT_TRUE(std::equal(placed.begin(), placed.end(), whole.field(0).begin()));
    for (int64_t p = 0; p < nested.npix(); p += 101) {
      EXPECT_EQ(placed[static_cast<size_t>(pixelInOrdering(nside, p, Ordering::Nested, to))], values[p]);
    }
  }
}
