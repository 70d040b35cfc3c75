#pragma once
// Sanity checks of an explainer (Adebayo et al. 2018): does the attribution depend on the
// model? The cascading model-parameter randomisation test re-initialises the layers from the
// output towards the input, one more at each step, re-explains, and measures how similar the
// new attribution still is to the original; a method that passes loses similarity as layers
// go. The random-logit test compares the explanation of the target with that of another output.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "jobs/Progress.h"
#include "model/Model.h"
#include "sky/Image.h"

namespace sky {

struct AttributionSimilarity {
  double spearman = 0;     // rank correlation of the values
  double spearmanAbs = 0;  // of |values|
  double ssim = 0;         // structural similarity of |a| / max|a| (7x7 windows, as skimage), mean over channels
  double topOverlap = 0;   // share of the top fraction of |a| pixels that both keep
};

// Spearman's rank correlation (ties take their mean rank); 0 when either side is constant.
double spearmanCorrelation(std::span<const double> a, std::span<const double> b);
// skimage.metrics.structural_similarity of two images in [0, 1] (data_range 1, 7x7 uniform
// window, sample covariance), one channel.
double structuralSimilarity(std::span<const double> a, std::span<const double> b, int height, int width);
AttributionSimilarity compareAttributions(const Image& a, const Image& b, double topFraction);

struct SanityStep {
  int randomised = 0;  // layers re-initialised, counted from the output
  std::string layer;   // the last one ("none" for the unchanged model)
  AttributionSimilarity similarity;
};

// The model with its first k layers (from the output) randomised, and an explanation of
// `target` by the method under test.
using RandomisedModel = std::function<std::unique_ptr<Model>(int randomisedLayers)>;
using ExplainTarget = std::function<Image(Model& model, int target)>;

// Step 0 re-explains `unchanged` (1 everywhere for a deterministic method); step k explains
// randomised(k), which has layers[0..k-1] re-initialised (k >= 1: the caller's model is step 0).
std::vector<SanityStep> cascadingRandomisation(const std::vector<std::string>& layers, Model& unchanged,
                                               const RandomisedModel& randomised, const ExplainTarget& explain,
                                               int target, double topFraction, Progress& progress);

// The explanation of `target` against that of another output drawn with `seed`; none for a
// model with one output.
struct RandomLogit {
  int other = -1;
  AttributionSimilarity similarity;
};
std::optional<RandomLogit> randomLogitTest(Model& model, const ExplainTarget& explain, int target, unsigned seed,
                                           double topFraction);

}  // namespace sky
