#pragma once
// Turns a projected sky image into model input as the model card says: masked pixels take
// the card's fill value, then no scaling, per-map z-score (each channel over its unmasked
// pixels, as the seed's standardisation), or a global z-score with the card's mean and std.
#include "model/ModelCard.h"
#include "sky/Image.h"

namespace sky {

// Returns how many pixels were masked (and filled).
long long applyPreprocessing(const ModelCard& card, Image& image);

}  // namespace sky
