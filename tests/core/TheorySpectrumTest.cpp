#include <fstream>

#include "TestSupport.h"
#include "simulate/TheorySpectrum.h"

using namespace sky;
using skytest::expectSkyError;
using skytest::ScratchDir;

namespace {
std::vector<double> dl(const std::vector<double>& cl) {
  std::vector<double> d(cl.size());
  for (size_t l = 0; l < cl.size(); ++l) d[l] = l * (l + 1.0) * cl[l] / (2 * M_PI);
  return d;
}
// Local maxima of D_l above l = 100 (the acoustic peaks).
std::vector<int> peaks(const std::vector<double>& d) {
  std::vector<int> out;
  for (size_t l = 101; l + 1 < d.size(); ++l)
    if (d[l] > d[l - 1] && d[l] >= d[l + 1]) out.push_back(static_cast<int>(l));
  return out;
}
}  // namespace

TEST(TheorySpectrum, AcousticScalesAtPlanck2018) {
  const AcousticScales s = acousticScales(Cosmology{});
  EXPECT_NEAR(s.zStar / 1089.9, 1.0, 0.005);             // Planck 2018: z* = 1089.9
  EXPECT_NEAR(s.soundHorizon / 144.43, 1.0, 0.01);       // r* = 144.43 Mpc
  EXPECT_NEAR(s.comovingDistance / 13872.0, 1.0, 0.01);  // D_M(z*) = 13872 Mpc
  EXPECT_NEAR(s.acousticMultipole / 301.8, 1.0, 0.01);   // 100 theta* = 1.0411
}

TEST(TheorySpectrum, PeaksAndDampingAtPlanck2018) {
  const auto d = dl(lcdmSpectra(Cosmology{}, 2500).tt);
  const auto p = peaks(d);
  ASSERT_GE(p.size(), 6u);
  EXPECT_NEAR(p[0] / 220.0, 1.0, 0.03);
  EXPECT_NEAR(p[1] / 540.0, 1.0, 0.03);
  EXPECT_NEAR(p[2] / 810.0, 1.0, 0.03);
  EXPECT_NEAR(d[p[0]] / 5700.0, 1.0, 0.15);
  // Silk damping: peak heights fall from the third peak on, and the tail is tiny.
  for (size_t m = 3; m < 6; ++m) EXPECT_LT(d[p[m]], d[p[m - 1]]);
  EXPECT_LT(d[2500], 0.03 * d[p[0]]);
  EXPECT_NEAR(d[10] / 1100.0, 1.0, 0.3);  // Sachs-Wolfe plateau
}

TEST(TheorySpectrum, RespondsToParametersAsPhysicsSays) {
  const Cosmology planck;
  const auto base = lcdmSpectra(planck, 2000);
  Cosmology twiceAs = planck;
  twiceAs.aS *= 2;
  EXPECT_NEAR(lcdmSpectra(twiceAs, 2000).tt[300] / base.tt[300], 2.0, 1e-9);
  Cosmology moreTau = planck;
  moreTau.tau += 0.05;
  EXPECT_NEAR(lcdmSpectra(moreTau, 2000).tt[300] / base.tt[300], std::exp(-0.1), 1e-9);
  // Lower h: larger distance to last scattering, peaks at higher l.
  Cosmology lowH = planck;
  lowH.h = 0.62;
  EXPECT_GT(peaks(dl(lcdmSpectra(lowH, 2000).tt))[0], peaks(dl(base.tt))[0]);
  // More baryons: odd peaks up relative to even ones.
  Cosmology moreBaryons = planck;
  moreBaryons.omegaB = 0.026;
  const auto db = dl(lcdmSpectra(moreBaryons, 2000).tt), d0 = dl(base.tt);
  const auto pb = peaks(db), p0 = peaks(d0);
  EXPECT_GT(db[pb[0]] / db[pb[1]], d0[p0[0]] / d0[p0[1]]);
}

TEST(TheorySpectrum, PolarisationIsAValidCovariance) {
  const auto s = lcdmSpectra(Cosmology{}, 3000);
  for (int l = 2; l <= 3000; ++l) {
    EXPECT_GT(s.ee[l], 0.0);
    EXPECT_EQ(s.bb[l], 0.0);
    EXPECT_LE(s.te[l] * s.te[l], s.tt[l] * s.ee[l] * (1 + 1e-12)) << l;
  }
  EXPECT_EQ(s.tt[0], 0.0);
  EXPECT_EQ(s.tt[1], 0.0);
  const auto d = dl(s.ee);
  double peak = 0;
  for (int l = 500; l <= 1500; ++l) peak = std::max(peak, d[l]);
  EXPECT_GT(peak, 20.0);
  EXPECT_LT(peak, 80.0);
}

TEST(TheorySpectrum, FeatureModulatesAtTheMappedWavenumber) {
  const Cosmology planck;
  const AcousticScales s = acousticScales(planck);
  const auto base = lcdmSpectra(planck, 1500);
  OscillatoryFeature f;  // the seed's defaults
  const auto feat = withFeature(base, f, s.comovingDistance);
  for (int l : {300, 832, 1200}) {
    const double k = (l + 0.5) / s.comovingDistance;
    const double expected = 0.06 * std::sin(1000 * k) * std::exp(-std::pow((k - 0.06) / 0.04, 2));
    EXPECT_NEAR(feat.tt[l] / base.tt[l] - 1.0, expected, 1e-12);
    EXPECT_NEAR(feat.ee[l] / base.ee[l] - 1.0, expected, 1e-12);
  }
  f.amplitude = 1.5;
  expectSkyError([&] { withFeature(base, f, s.comovingDistance); }, ErrorKind::InvalidArgument, "amplitude");
}

TEST(TheorySpectrum, RejectsAbsurdParameters) {
  Cosmology c;
  c.omegaB = -0.01;
  expectSkyError([&] { lcdmSpectra(c, 100); }, ErrorKind::InvalidArgument, "omega_b");
  c = Cosmology{};
  c.h = 0.3 * 0.9;
  expectSkyError([&] { lcdmSpectra(c, 100); }, ErrorKind::InvalidArgument, "h must be");
  expectSkyError([] { lcdmSpectra(Cosmology{}, 1); }, ErrorKind::InvalidArgument, "lmax");
}

TEST(BoltzmannImport, ReadsCambAndClassLayoutsWithUnits) {
  ScratchDir dir;
  {
    std::ofstream f(dir / "camb.dat");
    f << "#    L    TT    EE    BB    TE\n";
    for (int l = 2; l <= 100; ++l) f << l << " " << 1000.0 + l << " " << 10.0 << " " << 0.1 << " " << -5.0 << "\n";
  }
  const TheorySpectra camb = readBoltzmannSpectra(dir / "camb.dat", SpectrumUnits::DlMicroK2, 50);
  ASSERT_EQ(camb.lmax(), 50);
  EXPECT_NEAR(camb.tt[10], 1010.0 * 2 * M_PI / 110.0, 1e-9);
  EXPECT_NEAR(camb.te[10], -5.0 * 2 * M_PI / 110.0, 1e-12);
  EXPECT_NEAR(camb.bb[10], 0.1 * 2 * M_PI / 110.0, 1e-12);
  const TheorySpectra inK = readBoltzmannSpectra(dir / "camb.dat", SpectrumUnits::ClK2, 50);
  EXPECT_NEAR(inK.tt[10], 1010.0 * 1e12, 1e-3);
  // CLASS order TT, EE, TE, BB: the third column is TE.
  const TheorySpectra cls =
      readBoltzmannSpectra(dir / "camb.dat", SpectrumUnits::ClMicroK2, 50, {"TT", "EE", "TE", "BB"});
  EXPECT_EQ(cls.te[10], 0.1);
  EXPECT_EQ(cls.bb[10], -5.0);
  expectSkyError([&] { readBoltzmannSpectra(dir / "camb.dat", SpectrumUnits::DlMicroK2, 200); },
                 ErrorKind::InvalidArgument, "above the file's l_max 100");
  std::ofstream(dir / "bad.dat") << "2 1 2 3\n";
  expectSkyError([&] { readBoltzmannSpectra(dir / "bad.dat", SpectrumUnits::DlMicroK2, 2); }, ErrorKind::InvalidFormat,
                 "expected 4 spectra");
  expectSkyError([] { parseSpectrumUnits("mK"); }, ErrorKind::InvalidArgument, "unknown units");
}
