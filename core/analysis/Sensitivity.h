#pragma once
// Sensitivity test: perturb one l-band (or one sky region) at a time with Gaussian noise and
// measure how much the model's output moves, mean |f(perturbed) - f(map)| over maps and
// repeats: an importance spectrum over bands, or an importance map over coarse pixels.
// Every repeat draws new noise (one generator, seeded once, runs through all draws).
#include <cstdint>
#include <vector>

#include "jobs/Progress.h"
#include "model/Model.h"
#include "sky/SkyMap.h"

namespace sky {

enum class SensitivityUnit { Bands, Regions };
enum class NoiseLevel { Fixed, CosmicVariance };

struct SensitivityOptions {
  SensitivityUnit unit = SensitivityUnit::Bands;
  int bandWidth = 10;   // bands [2, 2+w-1], [2+w, ...] up to 3 nside - 1
  int regionNside = 4;  // regions: the pixels of this coarse nside
  NoiseLevel level = NoiseLevel::Fixed;
  // Fixed: white noise of this rms per pixel (bands: its band-limited part, C_l = amplitude^2 x
  // 4 pi / npix). CosmicVariance: per band, C_l^noise = amplitude x sqrt(2/(2l+1)) x C_l of the map.
  double amplitude = 1.0;
  int repeats = 10;
  uint64_t seed = 1;
  int target = 0;
};

struct SensitivityResult {
  std::vector<int> lmin, lmax;               // bands (empty for regions)
  int regionNside = 0;                       // regions: unit k is RING pixel k at this nside
  std::vector<double> importance;            // per unit: mean |change| over maps and repeats
  std::vector<std::vector<double>> repeats;  // per unit, per repeat: mean |change| over maps
  bool complete = true;                      // false when cancelled (units done so far)
};

SensitivityResult sensitivity(Model& model, const std::vector<SkyMap>& maps, const SensitivityOptions& options,
                              Progress& progress);

// The importance of regions as a HEALPix map at the coarse nside (for FITS and the sky views).
SkyMap importanceMap(const SensitivityResult& result);

}  // namespace sky
