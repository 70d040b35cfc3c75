#pragma once
// LambdaCDM-like CMB spectra from cosmological parameters, the seed package's primordial
// oscillatory feature, and import of Boltzmann-code (CAMB/CLASS) spectra.
//
// The approximation (README, "Theory spectra"): the acoustic scale l_A = pi D_M / r_s is
// computed from the parameters (decoupling redshift z* from Hu & Sugiyama 1996, ApJ 471, 542,
// eq. E1; sound horizon and comoving distance integrated for a flat universe with photons and
// 3.046 neutrino species). The spectrum shape is a damped acoustic-oscillation template in
// u = l / l_A: peaks where u + phi(u) is an integer (phase shift phi ~ 0.22, alternating with
// baryon loading R*), an envelope with radiation driving, odd/even peak modulation
// proportional to R*, and Silk damping exp(-(l/l_D)^1.6) with l_D scaling with l_A and
// omega_b^0.2. The template's shape constants were fitted once to the Planck 2018 best-fit
// peak and trough table: at Planck 2018 parameters the first three TT peaks fall at l = 219,
// 542, 816 (Planck 220, 537, 811) and the first peak's D_l is 5630 uK^2 (Planck ~5720);
// individual multipoles are good to ~10-20%, not to Boltzmann-code accuracy. A_s, n_s (pivot
// 0.05/Mpc) and tau (exp(-2 tau) on every l) scale the amplitude and tilt. EE and TE are
// cruder: EE oscillates out of phase with TT (troughs 10x below its peaks) with peaks of ~40-50
// uK^2 near l ~ 1000 plus a
// reionisation bump ~ tau^2 at l < 10; TE = rho(l) sqrt(TT EE) with |rho| <= 0.6; BB = 0.
// Users with a Boltzmann code should import its C_l (readBoltzmannSpectra).
#include <filesystem>
#include <string>
#include <vector>

namespace sky {

struct Cosmology {
  double omegaB = 0.02237;   // omega_b h^2
  double omegaCdm = 0.1200;  // omega_cdm h^2
  double h = 0.6736;
  double nS = 0.9649;
  double aS = 2.0989e-9;  // A_s at k = 0.05 / Mpc
  double tau = 0.0544;
  double tCmb = 2.7255;   // K
  void validate() const;  // throws SkyError(InvalidArgument) on negative or absurd values
};

// The seed package's feature: P(k) -> P(k) [1 + amp sin(freq k + phase) exp(-(k-centre)^2/wid^2)].
struct OscillatoryFeature {
  double amplitude = 0.06;
  double frequency = 1000.0;  // Mpc
  double width = 0.04;        // 1/Mpc
  double centre = 0.06;       // 1/Mpc
  double phase = 0.0;
  void validate() const;
  double modulation(double k) const;  // the bracket minus 1
};

struct AcousticScales {
  double zStar = 0, soundHorizon = 0, comovingDistance = 0;  // Mpc
  double acousticMultipole = 0, baryonLoading = 0, dampingMultipole = 0;
};
AcousticScales acousticScales(const Cosmology& c);

// C_l in uK^2 for l = 0..lmax (C_0 = C_1 = 0).
struct TheorySpectra {
  std::vector<double> tt, ee, bb, te;
  int lmax() const { return static_cast<int>(tt.size()) - 1; }
};

TheorySpectra lcdmSpectra(const Cosmology& c, int lmax);
// Applies the feature to TT, EE and TE with k = (l + 1/2) / D_M (a Limber-like mapping of
// each multipole to the wavenumber it mostly probes at last scattering).
TheorySpectra withFeature(const TheorySpectra& base, const OscillatoryFeature& feature, double comovingDistance);

enum class SpectrumUnits { DlMicroK2, ClMicroK2, DlK2, ClK2, DlDimensionless };
SpectrumUnits parseSpectrumUnits(const std::string& text);  // dl-uk2, cl-uk2, dl-k2, cl-k2, dl-dimensionless

// Reads a text file of columns l then spectra (default order TT,EE,BB,TE as CAMB's
// lensedCls; CLASS writes TT,EE,TE,BB: pass that order). Lines starting with '#' are skipped.
// Missing multipoles below the file's first l are 0. Throws if lmax is above the file's.
TheorySpectra readBoltzmannSpectra(const std::filesystem::path& path, SpectrumUnits units, int lmax,
                                   const std::vector<std::string>& columns = {"TT", "EE", "BB", "TE"},
                                   double tCmb = 2.7255);

}  // namespace sky
