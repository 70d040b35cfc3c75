#pragma once
// Can an attribution be trusted? Metrics of one attribution of one input, by the definitions
// of Captum (infidelity, sensitivity-max) and Quantus (sparseness, complexity) and of ROAD
// (Rong et al. 2022, remove and debias). Random draws come from numpy's legacy generator
// (stats/NumpyRandom), seeded, so a run repeats exactly.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "jobs/Progress.h"
#include "model/Model.h"
#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace sky {

struct TrustMetricOptions {
  int target = 0;
  int perturbations = 10;           // Captum's n_perturb_samples (infidelity, sensitivity-max)
  double infidelityNoise = 0.003;   // std of the infidelity perturbation I (Captum's documented example)
  bool multiplyByInputs = true;     // the attribution includes (x - baseline), as IG, SHAP, occlusion
  double baseline = 0.0;            // that baseline (model-input units)
  double sensitivityRadius = 0.02;  // Captum's default: uniform noise in the L-infinity ball
  std::vector<double> roadFractions = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  double roadNoise = 0.01;  // std of the noise added to imputed pixels (Rong et al.)
  uint32_t seed = 0;
};

// Whether an explainer's attributions include (x - baseline), Captum's multiply_by_inputs:
// gradients (saliency, smoothgrad) do not; IG, GradientSHAP, SHAP and occlusion do.
bool multipliesByInputs(const std::string& method);

// Captum's infidelity: the mean over perturbations I ~ N(0, noise^2) of
// (sum_i p_i a_i - (f(x) - f(x - I)))^2, with p = I, or p = I / (x - baseline) for
// multiply-by-inputs attributions (0 where x equals the baseline). 0 for a perfect linear account.
double infidelity(Model& model, const Image& input, const Image& attribution, const TrustMetricOptions& options);

// Captum's sensitivity-max: the largest ||e(x + u) - e(x)||_F / ||e(x)||_F over u uniform in
// [-radius, radius] per value, e re-explaining (so a deterministic method's e(x) is the attribution).
using Reexplain = std::function<Image(const Image& input)>;
double sensitivityMax(const Reexplain& explain, const Image& input, const TrustMetricOptions& options,
                      Progress& progress);

// Quantus Sparseness: the Gini index of |a| / max|a| + 1e-7 (1: one pixel holds everything).
double giniSparseness(std::span<const double> attribution);
// Quantus Complexity: the entropy (natural log) of |a| / sum|a|.
double entropyComplexity(std::span<const double> attribution);

// ROAD: remove the most (MoRF) or least (LeRF) relevant fraction of image pixels (attribution
// summed over channels, all channels removed together), fill them by noisy linear imputation
// (each removed pixel the weighted mean of its 8 neighbours, 1/6 direct and 1/12 diagonal,
// solved jointly, plus N(0, roadNoise^2)), and record the target output. A faithful attribution
// drops the output fast under MoRF and slowly under LeRF: score = LeRF area - MoRF area.
struct RoadCurves {
  std::vector<double> fraction, morf, lerf;  // fraction 0 (the input itself) first
  double morfArea = 0, lerfArea = 0, score = 0;
  int nside = 0;  // HEALPix ROAD: the nside it worked at
};
RoadCurves road(Model& model, const Image& input, const Image& attribution, const TrustMetricOptions& options,
                Progress& progress);

// ROAD on HEALPix pixels, at the map's nside up to kMaxRoadNside (finer maps are degraded to
// it first): `attribution` (field 0, brought to that nside by ud_grade if need be) ranks the
// map's unmasked pixels; removed pixels are imputed from their 8 HEALPix neighbours (equal weights, solved
// jointly) plus N(0, (roadNoise x the field's std)^2), and the map goes to the model as its card
// says. Ranking is all it reads of the attribution, so reprojected image attributions qualify.
constexpr int kMaxRoadNside = 256;
RoadCurves mapRoad(Model& model, const SkyMap& map, const SkyMap& attribution, const TrustMetricOptions& options,
                   Progress& progress);

// The noisy linear imputation alone (exposed for tests): `removed` flags image pixels (H x W).
Image noisyLinearImputation(const Image& input, const std::vector<uint8_t>& removed, double noise, uint32_t seed);

}  // namespace sky
