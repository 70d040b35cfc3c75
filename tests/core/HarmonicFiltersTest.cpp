#include "TestSupport.h"
#include "io/HealpixFits.h"
#include "sky/HarmonicFilters.h"
#include "sky/PowerSpectrum.h"

using namespace sky;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::fixture;
using skytest::relativeError;

TEST(HarmonicFilters, GaussianBeamMatchesHealpy) {
  const auto ref = fixture("gauss_beam_fwhm30_lmax100_pol.npy");  // (101, 4): T, E, B, TE
  ASSERT_EQ(ref.shape, (std::vector<size_t>{101, 4}));
  const auto t = gaussianBeam(30.0, 100, false), p = gaussianBeam(30.0, 100, true);
  for (int l = 0; l <= 100; ++l) {
    EXPECT_NEAR(t[l], ref.values[l * 4 + 0], 1e-14);
    EXPECT_NEAR(p[l], ref.values[l * 4 + 1], 1e-14);
  }
}

TEST(HarmonicFilters, SmoothingMatchesHealpy) {
  const SkyMap map = readHealpixFits(dataPath("sky/tqu_n16.fits"));
  const SkyMap smooth = smoothGaussian(map, 300.0);
  const auto ref = fixture("smooth_tqu_n16_fwhm300arcmin.npy");
  for (int f = 0; f < 3; ++f) {
    EXPECT_LT(relativeError(smooth.field(f), std::span<const double>(ref.values.data() + f * map.npix(), map.npix())),
              1e-10)
        << "field " << f;
  }
}

TEST(HarmonicFilters, BeamReducesPowerAsPredicted) {
  const SkyMap map = readHealpixFits(dataPath("sky/tqu_n16.fits"));
  SpectrumOptions options;
  options.polarised = false;
  const auto before = anafast(map, options), after = anafast(smoothGaussian(map, 200.0), options);
  const auto beam = gaussianBeam(200.0, 47);
  for (int l = 2; l <= 20; ++l) EXPECT_NEAR(after.cl[0][l] / before.cl[0][l], beam[l] * beam[l], 0.02) << l;
}

TEST(HarmonicFilters, BandPassMatchesHealpy) {
  const SkyMap map(32, Ordering::Ring, {fixture("t_n32_ring_values.npy").values});
  EXPECT_LT(
      relativeError(bandPass(map, 10, 30, BandMode::Keep).field(0), fixture("bandpass_keep_10_30_t_n32.npy").values),
      1e-10);
  EXPECT_LT(relativeError(bandPass(map, 10, 30, BandMode::Remove).field(0),
                          fixture("bandpass_remove_10_30_t_n32.npy").values),
            1e-10);
}

TEST(HarmonicFilters, BandPassKeepsOnlyTheBand) {
  const SkyMap map(32, Ordering::Ring, {fixture("t_n32_ring_values.npy").values});
  SpectrumOptions options;
  options.iterations = 3;
  const auto ps = anafast(bandPass(map, 10, 30, BandMode::Keep), options);
  const auto full = anafast(map, options);
  const double bandPower = full.cl[0][20];
  for (int l = 0; l <= ps.lmax(); ++l) {
    if (l >= 12 && l <= 28) {
      EXPECT_NEAR(ps.cl[0][l] / full.cl[0][l], 1.0, 0.05) << l;
    }
    if (l < 8 || l > 34) {
      EXPECT_LT(ps.cl[0][l], 1e-3 * bandPower) << l;
    }
  }
}

TEST(HarmonicFilters, MaskedPixelsStayMasked) {
  const SkyMap masked = readHealpixFits(dataPath("sky/tqu_n16_masked.fits"));
  const SkyMap out = bandPass(masked, 0, 20, BandMode::Keep);
  for (int f = 0; f < 3; ++f)
    for (int64_t p = 0; p < masked.npix(); ++p) ASSERT_EQ(isMasked(out.field(f)[p]), isMasked(masked.field(f)[p]));
}

// Bands from one analysis equal bandPass band by band (T, T/Q/U with masked pixels, and two
// unrelated fields), and the healpy-checked band among them too.
TEST(HarmonicFilters, BandsFromOneAnalysisEqualBandPass) {
  const SkyMap t(32, Ordering::Ring, {fixture("t_n32_ring_values.npy").values});
  const SkyMap tqu = readHealpixFits(dataPath("sky/tqu_n16_masked.fits"));
  const SkyMap two(16, Ordering::Ring,
                   {std::vector<double>(tqu.field(0).begin(), tqu.field(0).end()),
                    std::vector<double>(tqu.field(1).begin(), tqu.field(1).end())});
  const std::vector<std::pair<int, int>> bands = {{0, 9}, {10, 30}, {31, 47}};
  for (const SkyMap* map : {&t, &tqu, &two}) {
    size_t seen = 0;
    forEachBandPass(*map, bands, [&](size_t b, SkyMap&& component) {
      const SkyMap expected = bandPass(*map, bands[b].first, bands[b].second, BandMode::Keep);
      ASSERT_EQ(component.fieldCount(), map->fieldCount());
      EXPECT_EQ(component.fieldNames(), map->fieldNames());
      for (int f = 0; f < map->fieldCount(); ++f) {
        for (int64_t p = 0; p < map->npix(); ++p) {
          const double a = component.field(f)[p], e = expected.field(f)[p];
          ASSERT_EQ(isMasked(a), isMasked(e)) << f << " " << p;
          if (!isMasked(e)) {
            ASSERT_NEAR(a, e, 1e-9 * (1 + std::abs(e))) << "band " << b << " field " << f;
          }
        }
      }
      ++seen;
    });
    EXPECT_EQ(seen, bands.size());
  }
  forEachBandPass(t, {{10, 30}}, [&](size_t, SkyMap&& component) {
    EXPECT_LT(relativeError(component.field(0), fixture("bandpass_keep_10_30_t_n32.npy").values), 1e-10);
  });
  expectSkyError(
      [&] {
        forEachBandPass(t, {{10, 200}}, [](size_t, SkyMap&&) {});
      },
      ErrorKind::InvalidArgument, "<= 95");
}

TEST(HarmonicFilters, RejectsBadArguments) {
  const SkyMap map = SkyMap::filled(8, 1, 1.0);
  expectSkyError([&] { bandPass(map, 10, 5, BandMode::Keep); }, ErrorKind::InvalidArgument, "lmin <= lmax");
  expectSkyError([&] { bandPass(map, 0, 40, BandMode::Keep); }, ErrorKind::InvalidArgument, "<= 23");
  expectSkyError([&] { smoothGaussian(map, -1.0); }, ErrorKind::InvalidArgument, "FWHM");
}
