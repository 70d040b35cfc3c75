#pragma once
// Faithfulness of an attribution (cf. Quantus, xplique): remove the input's pixels in
// attribution order and watch the output fall (deletion), or start from nothing and put them
// back in that order (insertion); the area under each curve ranks methods on one map. A random
// order gives the reference curve. Pixels are image pixels (all channels at once) or HEALPix
// pixels of the map (removed pixels are masked, then filled as the model card says).
#include <cstdint>
#include <vector>

#include "jobs/Progress.h"
#include "model/Model.h"
#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace sky {

struct FaithfulnessOptions {
  int steps = 20;  // the curve has steps + 1 points, fractions 0, 1/steps, ..., 1
  int target = 0;
  double baseline = 0.0;  // image variant: the value a removed pixel takes (model-input units)
  uint64_t seed = 1;      // of the random reference order
};

struct FaithfulnessCurves {
  std::vector<double> fraction;             // of the pixels removed (deletion) or present (insertion)
  std::vector<double> deletion, insertion;  // attribution order
  std::vector<double> randomDeletion, randomInsertion;
  // Mean of each curve over the fractions (trapezoid rule): lower deletion and higher
  // insertion areas mean a more faithful attribution.
  double deletionArea = 0, insertionArea = 0, randomDeletionArea = 0, randomInsertionArea = 0;
};

// image: model input (C, H, W); attribution: same shape, summed over channels per pixel.
FaithfulnessCurves imageFaithfulness(Model& model, const Image& image, const Image& attribution,
                                     const FaithfulnessOptions& options, Progress& progress);
// map: as opened (its fields feed the model's channels); attribution: field 0, same nside.
FaithfulnessCurves mapFaithfulness(Model& model, const SkyMap& map, const SkyMap& attribution,
                                   const FaithfulnessOptions& options, Progress& progress);

}  // namespace sky
