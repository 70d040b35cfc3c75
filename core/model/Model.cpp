#include "model/Model.h"

#include <cmath>

#include "model/ImageBatch.h"
#include "util/Error.h"

namespace sky {

std::string ImageShape::text() const {
  return "(" + std::to_string(channels) + ", " + std::to_string(height) + ", " + std::to_string(width) + ")";
}

std::vector<std::string> Model::outputNames() const {
  if (static_cast<int>(card().outputNames.size()) == outputCount()) return card().outputNames;
  std::vector<std::string> names;
  for (int k = 0; k < outputCount(); ++k) names.push_back("output" + std::to_string(k));
  return names;
}

void ImageBatch::checkFinite(const std::string& what) const {
  for (size_t i = 0; i < nchw.size(); ++i) {
    if (!std::isfinite(nchw[i])) {
      const size_t per = static_cast<size_t>(shape.size());
      throw SkyError(ErrorKind::InvalidData, what + ": image " + std::to_string(i / per) +
                                                 " holds a NaN or infinite value "
                                                 "(masked pixels must be filled before explaining)");
    }
  }
}

}  // namespace sky
