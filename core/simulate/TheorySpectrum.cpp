#include "simulate/TheorySpectrum.h"

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>

#include "io/AtomicFile.h"
#include "util/Error.h"

namespace sky {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kLightSpeed = 299792.458;  // km/s

// Template constants fitted to the Planck 2018 best fit (see the header); *Ref values are the
// scales at Planck 2018 parameters that the constants refer to.
constexpr double kPlateau = 1085.84, kPeakHeight = 3092.53, kDriving = 5.0, kDrivingWidth = 0.72014;
constexpr double kBaryonModulation = 0.16855, kTroughFloor = 0.43111, kPhase = 0.21594, kPhaseSwing = -0.05272;
constexpr double kDampingRef = 1072.78, kDampingPower = 1.60037, kRise = 266.503;
constexpr double kLARef = 302.556, kRRef = 0.620836, kOmegaBRef = 0.02237, kNsRef = 0.9649, kAsRef = 2.0989e-9,
                 kTauRef = 0.0544;
constexpr double kEePeak = 0.0245, kReionisation = 0.0318;  // EE template scale and l<10 bump (uK^2 at tau_ref)

double photonDensity(const Cosmology& c) { return 2.4728e-5 * std::pow(c.tCmb / 2.7255, 4); }
double radiationDensity(const Cosmology& c) { return photonDensity(c) * (1.0 + 0.2271 * 3.046); }

// a^2 H(a) / (100 km/s/Mpc): finite at a = 0, so integrals in a need no special care.
double a2H(const Cosmology& c, double a) {
  const double om = c.omegaB + c.omegaCdm, orad = radiationDensity(c), ol = c.h * c.h - om - orad;
  return std::sqrt(om * a + orad + ol * a * a * a * a);
}

template <typename F>
double simpson(F&& f, double lo, double hi, int intervals) {
  const double step = (hi - lo) / intervals;
  double sum = f(lo) + f(hi);
  for (int i = 1; i < intervals; ++i) sum += f(lo + i * step) * (i % 2 ? 4.0 : 2.0);
  return sum * step / 3.0;
}

void require(bool ok, const std::string& what) {
  if (!ok) throw SkyError(ErrorKind::InvalidArgument, what);
}

}  // namespace

void Cosmology::validate() const {
  require(omegaB > 0.001 && omegaB < 0.1, "omega_b h^2 must be between 0.001 and 0.1");
  require(omegaCdm > 0.01 && omegaCdm < 0.5, "omega_cdm h^2 must be between 0.01 and 0.5");
  require(h > 0.3 && h < 1.2, "h must be between 0.3 and 1.2");
  require(omegaB + omegaCdm < h * h, "omega_b + omega_cdm must be below h^2 (flat universe, Omega_Lambda > 0)");
  require(nS > 0.5 && nS < 1.5, "n_s must be between 0.5 and 1.5");
  require(aS > 1e-11 && aS < 1e-7, "A_s must be between 1e-11 and 1e-7");
  require(tau >= 0 && tau < 0.5, "tau must be between 0 and 0.5");
  require(tCmb > 1 && tCmb < 5, "T_cmb must be between 1 and 5 K");
}

void OscillatoryFeature::validate() const {
  require(std::isfinite(amplitude) && std::abs(amplitude) < 1, "feature amplitude must be in (-1, 1)");
  require(frequency >= 0 && frequency < 1e5, "feature frequency must be in [0, 1e5) Mpc");
  require(width > 0 && width < 10, "feature width must be in (0, 10) / Mpc");
  require(centre >= 0 && centre < 10, "feature centre must be in [0, 10) / Mpc");
  require(std::isfinite(phase), "feature phase must be finite");
}

double OscillatoryFeature::modulation(double k) const {
  const double d = (k - centre) / width;
  return amplitude * std::sin(frequency * k + phase) * std::exp(-d * d);
}

AcousticScales acousticScales(const Cosmology& c) {
  c.validate();
  AcousticScales s;
  const double ob = c.omegaB, om = c.omegaB + c.omegaCdm;
  const double g1 = 0.0783 * std::pow(ob, -0.238) / (1.0 + 39.5 * std::pow(ob, 0.763));
  const double g2 = 0.560 / (1.0 + 21.1 * std::pow(ob, 1.81));
  s.zStar = 1048.0 * (1.0 + 0.00124 * std::pow(ob, -0.738)) * (1.0 + g1 * std::pow(om, g2));
  const double aStar = 1.0 / (1.0 + s.zStar);
  const double rOverA = 3.0 * ob / (4.0 * photonDensity(c));  // R = (3 rho_b / 4 rho_gamma) = rOverA * a
  s.soundHorizon =
      simpson([&](double a) { return kLightSpeed / 100.0 / std::sqrt(3.0 * (1.0 + rOverA * a)) / a2H(c, a); }, 0.0,
              aStar, 4000);
  s.comovingDistance = simpson([&](double a) { return kLightSpeed / 100.0 / a2H(c, a); }, aStar, 1.0, 20000);
  s.acousticMultipole = kPi * s.comovingDistance / s.soundHorizon;
  s.baryonLoading = rOverA * aStar;
  s.dampingMultipole = kDampingRef * (s.acousticMultipole / kLARef) * std::pow(ob / kOmegaBRef, 0.2);
  return s;
}

TheorySpectra lcdmSpectra(const Cosmology& c, int lmax) {
  require(lmax >= 2 && lmax <= 20000, "lmax must be between 2 and 20000");
  const AcousticScales s = acousticScales(c);
  const double amplitude = (c.aS / kAsRef) * std::exp(-2.0 * (c.tau - kTauRef));
  const double lPivot = 0.05 * s.comovingDistance;
  const double beta = kBaryonModulation * s.baryonLoading / kRRef;
  TheorySpectra out;
  out.tt.assign(lmax + 1, 0.0);
  out.ee.assign(lmax + 1, 0.0);
  out.bb.assign(lmax + 1, 0.0);
  out.te.assign(lmax + 1, 0.0);
  for (int l = 2; l <= lmax; ++l) {
    const double u = l / s.acousticMultipole;
    const double phi = kPhase + kPhaseSwing * std::cos(kPi * (u + kPhase));
    const double psi = 2.0 * kPi * (u + phi);
    const double oscillation = 0.5 * (1.0 + std::cos(psi));
    const double envelope = kPeakHeight * (1.0 + kDriving * std::exp(-(u / kDrivingWidth) * (u / kDrivingWidth))) *
                            (1.0 - beta * std::cos(kPi * (u + phi)));
    const double rise = 1.0 - std::exp(-(l / kRise) * (l / kRise));
    const double damping = std::exp(-std::pow(l / s.dampingMultipole, kDampingPower));
    const double tilt = std::pow(l / lPivot, c.nS - kNsRef);
    const double dlTT =
        amplitude * tilt * damping * (kPlateau + rise * envelope * (kTroughFloor + (1.0 - kTroughFloor) * oscillation));
    // EE: velocity-sourced, out of phase with TT, growing as u^2 until damping.
    const double ee =
        kEePeak * kPeakHeight * u * u / (1.0 + u * u / 1.5) * (0.1 + 0.45 * (1.0 - std::cos(psi))) * damping;
    const double reion = kReionisation * (c.tau / kTauRef) * (c.tau / kTauRef) * std::exp(-(l - 2.0) / 4.0);
    const double dlEE = amplitude * tilt * (ee + reion);
    const double dlTE = -0.6 * std::sin(psi) * std::sqrt(dlTT * dlEE);
    const double toCl = 2.0 * kPi / (l * (l + 1.0));
    out.tt[l] = dlTT * toCl;
    out.ee[l] = dlEE * toCl;
    out.te[l] = dlTE * toCl;
  }
  return out;
}

TheorySpectra withFeature(const TheorySpectra& base, const OscillatoryFeature& feature, double comovingDistance) {
  feature.validate();
  require(comovingDistance > 0, "comoving distance must be positive");
  TheorySpectra out = base;
  for (int l = 2; l <= base.lmax(); ++l) {
    const double factor = 1.0 + feature.modulation((l + 0.5) / comovingDistance);
    out.tt[l] *= factor;
    out.ee[l] *= factor;
    out.te[l] *= factor;
  }
  return out;
}

SpectrumUnits parseSpectrumUnits(const std::string& text) {
  if (text == "dl-uk2") return SpectrumUnits::DlMicroK2;
  if (text == "cl-uk2") return SpectrumUnits::ClMicroK2;
  if (text == "dl-k2") return SpectrumUnits::DlK2;
  if (text == "cl-k2") return SpectrumUnits::ClK2;
  if (text == "dl-dimensionless") return SpectrumUnits::DlDimensionless;
  throw SkyError(ErrorKind::InvalidArgument,
                 "unknown units '" + text + "' (dl-uk2, cl-uk2, dl-k2, cl-k2, dl-dimensionless)");
}

TheorySpectra readBoltzmannSpectra(const std::filesystem::path& path, SpectrumUnits units, int lmax,
                                   const std::vector<std::string>& columns, double tCmb) {
  requireReadableFile(path, "spectrum file");
  std::ifstream f(path);
  if (!f) throw SkyError(ErrorKind::FileNotFound, "cannot open spectrum file " + path.string());
  require(lmax >= 2, "lmax must be at least 2");
  TheorySpectra out;
  out.tt.assign(lmax + 1, 0.0);
  out.ee.assign(lmax + 1, 0.0);
  out.bb.assign(lmax + 1, 0.0);
  out.te.assign(lmax + 1, 0.0);
  int fileLmax = -1;
  std::string line;
  for (int lineNo = 1; std::getline(f, line); ++lineNo) {
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream ss(line);
    double ell = 0;
    if (!(ss >> ell) || ell < 0 || ell != std::floor(ell)) {
      throw SkyError(ErrorKind::InvalidFormat,
                     path.string() + ":" + std::to_string(lineNo) + ": the first column must be l");
    }
    std::vector<double> values(columns.size());
    for (double& v : values) {
      if (!(ss >> v) || !std::isfinite(v)) {
        throw SkyError(ErrorKind::InvalidFormat, path.string() + ":" + std::to_string(lineNo) + ": expected " +
                                                     std::to_string(columns.size()) + " spectra after l");
      }
    }
    const int l = static_cast<int>(ell);
    fileLmax = std::max(fileLmax, l);
    if (l > lmax || l < 2) continue;
    double scale = 1.0;
    const bool isDl =
        units == SpectrumUnits::DlMicroK2 || units == SpectrumUnits::DlK2 || units == SpectrumUnits::DlDimensionless;
    if (isDl) scale *= 2.0 * kPi / (l * (l + 1.0));
    if (units == SpectrumUnits::DlK2 || units == SpectrumUnits::ClK2) scale *= 1e12;
    if (units == SpectrumUnits::DlDimensionless) scale *= (tCmb * 1e6) * (tCmb * 1e6);
    for (size_t k = 0; k < columns.size(); ++k) {
      const std::string& name = columns[k];
      std::vector<double>* target = name == "TT"   ? &out.tt
                                    : name == "EE" ? &out.ee
                                    : name == "BB" ? &out.bb
                                    : name == "TE" ? &out.te
                                                   : nullptr;
      if (target) (*target)[l] = values[k] * scale;  // other columns (lensing...) are ignored
    }
  }
  if (fileLmax < 0) throw SkyError(ErrorKind::InvalidFormat, path.string() + " holds no spectrum rows");
  if (fileLmax < lmax) {
    throw SkyError(ErrorKind::InvalidArgument, "lmax " + std::to_string(lmax) + " is above the file's l_max " +
                                                   std::to_string(fileLmax) + " (" + path.string() + ")");
  }
  return out;
}

}  // namespace sky
