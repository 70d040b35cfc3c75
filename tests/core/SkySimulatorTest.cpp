#include "TestSupport.h"
#include "io/HealpixFits.h"
#include "simulate/DemoSkies.h"
#include "simulate/SkySimulator.h"
#include "sky/HarmonicFilters.h"
#include "sky/MapStatistics.h"
#include "sky/PowerSpectrum.h"

using namespace sky;
using skytest::expectSkyError;
using skytest::ScratchDir;

namespace {
const TheorySpectra& planck() {
  static const TheorySpectra s = lcdmSpectra(Cosmology{}, 400);
  return s;
}
// sum_l (2l+1) C^_l / C_l is chi-square with sum_l (2l+1) degrees of freedom on a full sky;
// returns its deviation from the mean in standard deviations.
double chiSquareSigma(const std::vector<double>& measured, const std::vector<double>& expected, int lmin, int lmax) {
  double x = 0, dof = 0;
  for (int l = lmin; l <= lmax; ++l) {
    x += (2 * l + 1) * measured[l] / expected[l];
    dof += 2 * l + 1;
  }
  return (x - dof) / std::sqrt(2 * dof);
}
}  // namespace

TEST(SkySimulator, SpectrumOfTheRealisationAgreesWithTheInput) {
  // Full sky, l <= 2 nside: |deviation| < 4 sigma (a 99.994% two-sided acceptance).
  SkyOptions o;
  o.nside = 64;
  o.polarised = true;
  o.seed = 11;
  const SkyMap map = simulateSky(planck(), o);
  ASSERT_EQ(map.fieldCount(), 3);
  const PowerSpectrum ps = anafast(map);
  EXPECT_LT(std::abs(chiSquareSigma(ps.cl[0], planck().tt, 2, 128)), 4.0);
  EXPECT_LT(std::abs(chiSquareSigma(ps.cl[1], planck().ee, 2, 128)), 4.0);
  // BB is zero in the input: what remains is E/B leakage of the pixelisation, tiny.
  double bb = 0, ee = 0;
  for (int l = 2; l <= 128; ++l) bb += ps.cl[2][l], ee += ps.cl[1][l];
  EXPECT_LT(bb, 1e-3 * ee);
}

TEST(SkySimulator, BeamAndNoiseChangeTheSpectrumAsPredicted) {
  SkyOptions o;
  o.nside = 64;
  o.seed = 5;
  const PowerSpectrum sharp = anafast(simulateSky(planck(), o));
  o.beamFwhmArcmin = 120.0;
  const PowerSpectrum smooth = anafast(simulateSky(planck(), o));
  const auto beam = gaussianBeam(120.0, 191);
  for (int l = 2; l <= 100; ++l) EXPECT_NEAR(smooth.cl[0][l] / sharp.cl[0][l] / (beam[l] * beam[l]), 1.0, 2e-3) << l;
  // White noise alone: C_l = sigma_pix^2 * pixel solid angle = (noise in uK-rad)^2.
  TheorySpectra none = planck();
  std::fill(none.tt.begin(), none.tt.end(), 0.0);
  SkyOptions noisy;
  noisy.nside = 64;
  noisy.noiseMicroKArcmin = 30.0;
  const PowerSpectrum n = anafast(simulateSky(none, noisy));
  const double expected = std::pow(30.0 / 60.0 * M_PI / 180.0, 2);
  double mean = 0;
  for (int l = 10; l <= 128; ++l) mean += n.cl[0][l] / 119.0;
  EXPECT_NEAR(mean / expected, 1.0, 0.03);
}

TEST(SkySimulator, MaskFractionAndMaskFiles) {
  SkyOptions o;
  o.nside = 32;
  o.mask.latitudeCutDeg = 20.0;
  o.maskedValue = MaskedValue::Unseen;
  const SkyMap map = simulateSky(planck(), o);
  EXPECT_NEAR(computeStatistics(map.field(0)).maskedFraction, std::sin(20.0 * M_PI / 180.0), 0.01);
  // A mask file at another nside: degraded or upgraded, then re-binarised.
  ScratchDir dir;
  std::vector<double> north(npixForNside(16), 0.0);
  for (size_t p = 0; p < north.size() / 2; ++p) north[p] = 1.0;  // RING: first half is the north
  writeHealpixFits(SkyMap(16, Ordering::Ring, {north}), dir / "mask.fits");
  SkyOptions fromFile;
  fromFile.nside = 64;
  fromFile.mask.file = dir / "mask.fits";
  const std::vector<double> keep = buildMask(fromFile.mask, 64);
  double kept = 0;
  for (double k : keep) kept += k;
  EXPECT_NEAR(kept / keep.size(), 0.5, 1e-12);
  const SkyMap zeroed = simulateSky(planck(), fromFile);
  EXPECT_EQ(zeroed.field(0)[zeroed.npix() - 1], 0.0);  // masked as the seed package: zero
}

TEST(SkySimulator, SeedsAreReproducibleAndIndependent) {
  SkyOptions o;
  o.nside = 16;
  o.polarised = true;
  o.seed = 1234;
  const SkyMap a = simulateSky(planck(), o), b = simulateSky(planck(), o);
  for (int f = 0; f < 3; ++f) EXPECT_TRUE(std::equal(a.field(f).begin(), a.field(f).end(), b.field(f).begin()));
  o.seed = 1235;
  const SkyMap c = simulateSky(planck(), o);
  EXPECT_NE(a.field(0)[0], c.field(0)[0]);
  o.seed = 1234 + (1ULL << 32);  // the high half of the seed matters too
  EXPECT_NE(simulateSky(planck(), o).field(0)[0], a.field(0)[0]);
}

TEST(SkySimulator, RejectsBadOptions) {
  SkyOptions o;
  o.nside = 12;
  expectSkyError([&] { simulateSky(planck(), o); }, ErrorKind::InvalidArgument, "power of two");
  o.nside = 16;
  o.noiseMicroKArcmin = -1;
  expectSkyError([&] { simulateSky(planck(), o); }, ErrorKind::InvalidArgument, "noise");
  o.noiseMicroKArcmin = 0;
  o.mask.latitudeCutDeg = 95;
  expectSkyError([&] { simulateSky(planck(), o); }, ErrorKind::InvalidArgument, "latitude cut");
}

TEST(DemoSkies, BalancedSeededAndCarryingTheDemoFeature) {
  const auto skies = makeDemoSkies(3, 21);
  ASSERT_EQ(skies.size(), 6u);
  double bandLcdm = 0, bandFeature = 0;
  for (size_t i = 0; i < skies.size(); ++i) {
    EXPECT_EQ(skies[i].label, static_cast<int>(i % 2));
    EXPECT_EQ(skies[i].map.nside(), demoSettings().sky.nside);
    EXPECT_EQ(skies[i].seed, 21 * 1000003ULL + i);
    // The demo feature boosts power around l ~ 50 (k = 0.0036/Mpc) by up to 80%.
    const PowerSpectrum ps = anafast(skies[i].map);
    const auto theory = lcdmSpectra(Cosmology{}, 95);
    double ratio = 0;
    for (int l = 40; l <= 60; ++l) ratio += ps.cl[0][l] / theory.tt[l] / 21.0;
    (skies[i].label ? bandFeature : bandLcdm) += ratio / 3.0;
  }
  EXPECT_GT(bandFeature, 1.3 * bandLcdm);
  const auto again = makeDemoSkies(3, 21);
  EXPECT_TRUE(std::equal(again[4].map.field(0).begin(), again[4].map.field(0).end(), skies[4].map.field(0).begin()));
}
