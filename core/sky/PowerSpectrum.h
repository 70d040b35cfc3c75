#pragma once
// Angular power spectra equal to healpy.anafast (auto and cross, T and T,Q,U), D_l
// conversion, binning, and the fsky-corrected pseudo-C_l of masked skies.
#include <string>
#include <vector>

#include "sky/SkyMap.h"

namespace sky {

struct SpectrumOptions {
  int lmax = -1;       // -1: 3*nside - 1, as healpy
  int iterations = 3;  // healpy's `iter` default
  // T,Q,U maps give TT,EE,BB,TE,EB,TB; false gives TT of field 0 only.
  bool polarised = true;
  // On a masked sky, divide the pseudo-C_l by the unmasked sky fraction (a first-order
  // correction, not a full MASTER deconvolution; see README).
  bool correctForSkyFraction = true;
};

struct PowerSpectrum {
  std::vector<std::string> names;       // "TT", then "EE","BB","TE","EB","TB" if polarised
  std::vector<std::vector<double>> cl;  // cl[spectrum][l], l = 0..lmax
  double skyFraction = 1.0;             // unmasked fraction of the pixels used
  bool skyFractionCorrected = false;    // true when cl was divided by skyFraction

  int lmax() const { return cl.empty() ? -1 : static_cast<int>(cl[0].size()) - 1; }
};

// healpy.anafast(map) (or anafast(map1, map2) when `other` is given; both maps need the same
// nside and field count).
PowerSpectrum anafast(const SkyMap& map, const SpectrumOptions& options = {});

// The l max the app and batch means use when none is given: healpy's 3 nside - 1 up to nside
// 512, and 2 nside above, where the rest would cost minutes at nside 2048.
int automaticLmax(int nside);
PowerSpectrum crossSpectrum(const SkyMap& a, const SkyMap& b, const SpectrumOptions& options = {});

// D_l = l(l+1) C_l / 2pi.
std::vector<double> toDl(const std::vector<double>& cl);

struct BinnedSpectrum {
  std::vector<double> ellCentre;    // mean l of each bin
  std::vector<int> ellMin, ellMax;  // inclusive bounds
  std::vector<double> value;        // mean of the input values over the bin
};
// Bins [lmin, lmax of values] in bins of `width` multipoles (the last bin may be narrower).
BinnedSpectrum binSpectrum(const std::vector<double>& values, int lmin, int width);

// Fraction of pixels unmasked in every field.
double unmaskedFraction(const SkyMap& map);

}  // namespace sky
