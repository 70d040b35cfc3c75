#pragma once
// Filters applied in harmonic space: Gaussian beam smoothing (healpy.smoothing) and the
// l-range band-pass that stands in for the k_max cuts of Fourier-space ablation studies.
// Masked pixels enter as 0 (as in healpy) and are masked again in the result.
#include <functional>
#include <utility>
#include <vector>

#include "sky/SkyMap.h"

namespace sky {

struct HarmonicOptions {
  int lmax = -1;       // -1: 3*nside - 1
  int iterations = 3;  // healpy's default
};

// Gaussian beam of `fwhmArcmin`; T,Q,U maps use healpy's polarised beam for E and B.
SkyMap smoothGaussian(const SkyMap& map, double fwhmArcmin, const HarmonicOptions& options = {});

enum class BandMode { Keep, Remove };
// Keeps (or removes) multipoles lmin <= l <= lmax of every field.
SkyMap bandPass(const SkyMap& map, int lmin, int lmax, BandMode mode, const HarmonicOptions& options = {});

// The map's component in each l-range [first, second] (as bandPass with Keep), from one
// analysis: each band is synthesised from its own a_lm only, so a low band costs little even
// at a high nside. `use` receives band k's map in order, one map alive at a time.
void forEachBandPass(const SkyMap& map, const std::vector<std::pair<int, int>>& bands,
                     const std::function<void(size_t band, SkyMap&& component)>& use,
                     const HarmonicOptions& options = {});

// healpy.gauss_beam: b_l = exp(-l(l+1) sigma^2 / 2); `polarised` gives the E/B version
// exp(-(l(l+1) - 4) sigma^2 / 2).
std::vector<double> gaussianBeam(double fwhmArcmin, int lmax, bool polarised = false);

}  // namespace sky
