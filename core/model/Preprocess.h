#pragma once
// Turns a projected sky image into model input as the model card says: masked pixels take
// the card's fill value, then no scaling, per-map z-score (each channel over its unmasked
// pixels, as the seed's standardisation), or a global z-score with the card's mean and std.
#include <vector>

#include "model/ModelCard.h"
#include "sky/Image.h"

namespace sky {

// Returns how many pixels were masked (and filled).
long long applyPreprocessing(const ModelCard& card, Image& image);

// The shift and scale of each channel that the card's preprocessing gives `image` (per-map
// z-score: its own unmasked pixels), to apply to other images: a group explainer standardises
// every coalition with the statistics of the whole input.
struct PreprocessingStats {
  std::vector<double> mean, scale;  // per channel: v -> (v - mean) * scale
};
PreprocessingStats preprocessingStats(const ModelCard& card, const Image& image);
long long applyPreprocessing(const ModelCard& card, Image& image, const PreprocessingStats& stats);

}  // namespace sky
