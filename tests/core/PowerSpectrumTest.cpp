#include <healpix_cxx/healpix_base.h>

#include "TestSupport.h"
#include "io/HealpixFits.h"
#include "sky/PowerSpectrum.h"

using namespace sky;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::fixture;
using skytest::relativeError;

namespace {
void expectSpectraMatch(const PowerSpectrum& ps, const NpyArray& ref, double tolerance) {
  ASSERT_EQ(ref.shape.size(), 2u);
  ASSERT_EQ(ps.cl.size(), ref.shape[0]);
  const size_t n = ref.shape[1];
  for (size_t k = 0; k < ps.cl.size(); ++k) {
    ASSERT_EQ(ps.cl[k].size(), n);
    EXPECT_LT(relativeError(ps.cl[k], std::span<const double>(ref.values.data() + k * n, n)), tolerance)
        << "spectrum " << ps.names[k];
  }
}
}  // namespace

TEST(PowerSpectrum, EqualsHealpyAnafastReference) {
  const SkyMap map = readHealpixFits(dataPath("sky/T_n16_0.fits"));
  for (int iter : {0, 3}) {
    SpectrumOptions options;
    options.lmax = 47;
    options.iterations = iter;
    const PowerSpectrum ps = anafast(map, options);
    ASSERT_EQ(ps.names, std::vector<std::string>{"TT"});
    EXPECT_LT(relativeError(ps.cl[0], fixture("T_n16_0_lmax47_iter" + std::to_string(iter) + ".npy").values), 1e-10);
  }
}

TEST(PowerSpectrum, PolarisedSpectraInHealpyOrder) {
  const SkyMap map = readHealpixFits(dataPath("sky/tqu_n16.fits"));
  for (int iter : {0, 1, 3}) {
    SpectrumOptions options;
    options.iterations = iter;
    const PowerSpectrum ps = anafast(map, options);
    EXPECT_EQ(ps.names, (std::vector<std::string>{"TT", "EE", "BB", "TE", "EB", "TB"}));
    EXPECT_EQ(ps.lmax(), 47);  // 3*nside - 1
    expectSpectraMatch(ps, fixture("anafast_tqu_n16_iter" + std::to_string(iter) + ".npy"), 1e-10);
  }
  SpectrumOptions lmax20;
  lmax20.lmax = 20;
  expectSpectraMatch(anafast(map, lmax20), fixture("anafast_tqu_n16_lmax20.npy"), 1e-10);
}

TEST(PowerSpectrum, CrossSpectrumMatchesHealpy) {
  const SkyMap a = readHealpixFits(dataPath("sky/tqu_n16.fits"));
  const SkyMap b = readHealpixFits(dataPath("sky/tqu_n16_other.fits"));
  expectSpectraMatch(crossSpectrum(a, b), fixture("anafast_cross_tqu_n16.npy"), 1e-10);
  // The cross spectrum of a map with itself is its auto spectrum.
  const PowerSpectrum self = crossSpectrum(a, a), autoPs = anafast(a);
  for (size_t k = 0; k < self.cl.size(); ++k) EXPECT_LT(relativeError(self.cl[k], autoPs.cl[k]), 1e-14);
}

TEST(PowerSpectrum, MaskedSkyRawAndFskyCorrected) {
  const SkyMap masked = readHealpixFits(dataPath("sky/tqu_n16_masked.fits"));
  SpectrumOptions raw;
  raw.correctForSkyFraction = false;
  const PowerSpectrum pseudo = anafast(masked, raw);
  expectSpectraMatch(pseudo, fixture("anafast_masked_tqu_n16_raw.npy"), 1e-10);
  EXPECT_FALSE(pseudo.skyFractionCorrected);
  const PowerSpectrum corrected = anafast(masked);
  EXPECT_TRUE(corrected.skyFractionCorrected);
  EXPECT_GT(corrected.skyFraction, 0.6);
  EXPECT_LT(corrected.skyFraction, 0.7);  // |b| < 20 deg removed: fsky = 1 - sin(20 deg) ~ 0.66
  for (size_t k = 0; k < 6; ++k)
    for (int l = 0; l <= corrected.lmax(); ++l)
      EXPECT_DOUBLE_EQ(corrected.cl[k][l], pseudo.cl[k][l] / corrected.skyFraction);
}

TEST(PowerSpectrum, DipoleHasTheAnalyticSpectrum) {
  // m = cos(theta) = sqrt(4 pi / 3) Y_10: C_1 = 4 pi / 9, every other C_l = 0.
  const int nside = 32;
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  std::vector<double> values(npixForNside(nside));
  for (int64_t p = 0; p < base.Npix(); ++p) values[p] = std::cos(base.pix2ang(p).theta);
  const PowerSpectrum ps = anafast(SkyMap(nside, Ordering::Ring, {values}));
  // HEALPix quadrature at nside 32 is good to ~1e-5 for a dipole.
  EXPECT_NEAR(ps.cl[0][1] / (4 * M_PI / 9), 1.0, 1e-4);
  for (int l = 0; l <= ps.lmax(); ++l)
    if (l != 1) {
      EXPECT_LT(std::abs(ps.cl[0][l]), 1e-8 * ps.cl[0][1]) << "l = " << l;
    }
}

TEST(PowerSpectrum, DlAndBinning) {
  const std::vector<double> cl = {1.0, 2.0, 3.0, 4.0, 5.0};
  const auto dl = toDl(cl);
  EXPECT_DOUBLE_EQ(dl[0], 0.0);
  EXPECT_DOUBLE_EQ(dl[2], 6.0 * 3.0 / (2 * M_PI));
  const BinnedSpectrum b = binSpectrum(cl, 1, 3);
  ASSERT_EQ(b.value.size(), 2u);
  EXPECT_DOUBLE_EQ(b.value[0], 3.0);  // mean of l = 1..3
  EXPECT_EQ(b.ellMax[1], 4);          // last bin narrower
  EXPECT_DOUBLE_EQ(b.value[1], 5.0);
  EXPECT_DOUBLE_EQ(b.ellCentre[0], 2.0);
  expectSkyError([&] { binSpectrum(cl, 0, 0); }, ErrorKind::InvalidArgument, "width");
}

TEST(PowerSpectrum, RejectsBadArguments) {
  const SkyMap map = SkyMap::filled(16, 1, 1.0);
  SpectrumOptions tooHigh;
  tooHigh.lmax = 65;
  expectSkyError([&] { anafast(map, tooHigh); }, ErrorKind::InvalidArgument, "beyond 4*nside");
  SpectrumOptions badIter;
  badIter.iterations = -1;
  expectSkyError([&] { anafast(map, badIter); }, ErrorKind::InvalidArgument, "iter");
  expectSkyError([&] { crossSpectrum(map, SkyMap::filled(8, 1, 1.0)); }, ErrorKind::InvalidArgument, "different nside");
  expectSkyError([] { anafast(SkyMap::filled(4, 1, kUnseen)); }, ErrorKind::InvalidData, "every pixel is masked");
}
