#pragma once
// Gaussian CMB skies: a seeded realisation of T (or T,Q,U) from theory spectra, smoothed by
// a Gaussian beam, with white noise and a galactic mask.
#include <cstdint>
#include <filesystem>
#include <optional>

#include "simulate/TheorySpectrum.h"
#include "sky/SkyMap.h"

namespace sky {

struct MaskSpec {
  double latitudeCutDeg = 0.0;                // mask |b| < cut (map in galactic coordinates); 0 = none
  std::optional<std::filesystem::path> file;  // a mask FITS (1 = keep), ud_graded to the map's nside
  double threshold = 0.5;                     // a degraded mask pixel is kept when >= threshold
};

enum class MaskedValue { Zero, Unseen };

struct SkyOptions {
  int nside = 64;
  bool polarised = false;  // T only, or T,Q,U
  uint64_t seed = 0;
  double beamFwhmArcmin = 0.0;     // 0 = no beam
  double noiseMicroKArcmin = 0.0;  // white noise in T; Q and U get sqrt(2) more
  MaskSpec mask;
  MaskedValue maskedValue = MaskedValue::Zero;  // zero as the seed package's masked maps
  int lmax = -1;                                // -1: min(3*nside - 1, spectra lmax)
};

// The map is RING, in uK, fields T or T,Q,U.
SkyMap simulateSky(const TheorySpectra& spectra, const SkyOptions& options);

// The keep-mask (1 = keep, 0 = masked) options.mask describes at `nside`.
std::vector<double> buildMask(const MaskSpec& mask, int nside);

}  // namespace sky
