#pragma once
// A map as a model sees it: the card's channels on the card's cartview grid, then (for
// modelInput) the card's preprocessing. The one path from maps to model inputs.
#include <string>

#include "model/ModelCard.h"
#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace sky {

// Throws SkyError naming `source` when a channel is missing or the card's grid is not cartview.
Image projectForModel(const SkyMap& map, const ModelCard& card, const std::string& source);
Image modelInput(const SkyMap& map, const ModelCard& card, const std::string& source);

}  // namespace sky
