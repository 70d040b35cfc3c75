#pragma once
// Which scales and which structures a model uses: re-evaluate it on maps with harmonic
// scales cut (low-pass at l_max, high-pass at l_min, or one l-band removed) or with hot/cold
// spots masked (or kept alone), over a grid of cuts; report the mean output, per class, and
// accuracy and AUC when labels are given, or R^2 and RMSE of a regression output when the
// true values are.
#include <string>
#include <vector>

#include "jobs/Progress.h"
#include "model/Model.h"
#include "sky/SkyMap.h"

namespace sky {

struct AblationPoint {
  double cut = 0.0;                       // l (scales) or k sigma (spots); NaN for the baseline
  double meanOutput = 0.0;                // of the chosen output over all maps
  std::vector<double> meanOutputByClass;  // [LambdaCDM, feature] when labels are given
  double accuracy = 0.0, auc = 0.0;       // NaN without labels; accuracy at the baseline's Youden threshold
  double r2 = 0.0, rmse = 0.0;            // regression: of the output against the true values; NaN without
};

struct AblationCurve {
  std::string kind;        // "lowpass", "highpass", "remove-band", "mask-hot", ...
  AblationPoint baseline;  // the maps as they are
  std::vector<AblationPoint> points;
  bool complete = true;  // false when cancelled: `points` holds the cuts finished before
};

enum class ScaleCut { LowPass, HighPass, RemoveBand };
struct ScaleAblationOptions {
  ScaleCut cut = ScaleCut::LowPass;
  std::vector<int> grid;      // l_max (low-pass), l_min (high-pass) or the band's first l
  int bandWidth = 10;         // remove-band: l in [cut, cut + bandWidth - 1]
  int target = 0;             // model output
  std::vector<double> truth;  // regression: the target parameter's true value per map (R^2, RMSE)
};

enum class SpotCut { MaskHot, MaskCold, KeepHot, KeepCold };
struct SpotAblationOptions {
  SpotCut cut = SpotCut::MaskHot;
  std::vector<double> thresholds;  // k: hot means (v - mean) > k sigma, cold (v - mean) < -k sigma, per map
  int target = 0;
  std::vector<double> truth;  // regression: the target parameter's true value per map (R^2, RMSE)
};

// labels: empty, or one 0/1 per map. Cancelling through `progress` returns the cuts done so
// far (complete = false). Throws SkyError for empty grids, cuts beyond 3 nside - 1,
// labels of the wrong length, a bad target, or maps of different nside.
AblationCurve scaleAblation(Model& model, const std::vector<SkyMap>& maps, const std::vector<int>& labels,
                            const ScaleAblationOptions& options, Progress& progress);
AblationCurve spotAblation(Model& model, const std::vector<SkyMap>& maps, const std::vector<int>& labels,
                           const SpotAblationOptions& options, Progress& progress);

// One map with one cut of the grid applied, as the ablations above apply it (a retrained
// ablation cuts its training maps one at a time with these).
SkyMap scaleCutMap(const SkyMap& map, const ScaleAblationOptions& options, size_t cutIndex);
SkyMap spotCutMap(const SkyMap& map, const SpotAblationOptions& options, size_t cutIndex);

// The model's chosen output for each map (projected and preprocessed as its card says).
std::vector<double> scoreMaps(Model& model, const std::vector<SkyMap>& maps, int target);

ScaleCut parseScaleCut(const std::string& name);  // lowpass, highpass, remove-band
SpotCut parseSpotCut(const std::string& name);    // mask-hot, mask-cold, keep-hot, keep-cold
const char* scaleCutName(ScaleCut cut);
const char* spotCutName(SpotCut cut);

}  // namespace sky
