#include "model/ModelInput.h"

#include "model/Preprocess.h"
#include "sky/Cartview.h"
#include "util/Error.h"

namespace sky {

Image projectForModel(const SkyMap& map, const ModelCard& card, const std::string& source) {
  if (!card.hasInputShape()) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "the model card gives no input grid (channels, height, width) to project " + source + " on");
  }
  std::vector<int> fields;
  for (const auto& name : card.channels) {
    const int f = map.fieldIndex(name);
    if (f < 0)
      throw SkyError(ErrorKind::InvalidData, source + " has no field '" + name + "' that the model card asks for");
    fields.push_back(f);
  }
  const CartviewGrid grid = CartviewGrid::forWidth(card.width);
  if (grid.height != card.height) {
    throw SkyError(ErrorKind::InvalidData, "the model card's image " + std::to_string(card.height) + "x" +
                                               std::to_string(card.width) +
                                               " is not a cartview grid (rows must be round(width/2))");
  }
  return projectCartview(map, grid, fields);
}

Image modelInput(const SkyMap& map, const ModelCard& card, const std::string& source) {
  Image image = projectForModel(map, card, source);
  applyPreprocessing(card, image);
  return image;
}

}  // namespace sky
