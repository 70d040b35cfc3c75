#include "model/Preprocess.h"

#include <cmath>

#include "sky/SkyMap.h"
#include "util/Error.h"

namespace sky {

long long applyPreprocessing(const ModelCard& card, Image& image) {
  long long masked = 0;
  for (int c = 0; c < image.channels(); ++c) {
    auto plane = image.plane(c);
    double sum = 0.0, sumSq = 0.0;
    long long valid = 0;
    for (double v : plane) {
      if (isMasked(v)) continue;
      sum += v;
      sumSq += v * v;
      ++valid;
    }
    double mean = 0.0, scale = 1.0;
    if (card.preprocessing == Preprocessing::PerMapZScore) {
      if (valid < 2)
        throw SkyError(ErrorKind::InvalidData, "cannot standardise a map channel with fewer than 2 unmasked pixels");
      mean = sum / static_cast<double>(valid);
      const double var = std::max(0.0, sumSq / static_cast<double>(valid) - mean * mean);
      if (!(var > 0))
        throw SkyError(ErrorKind::InvalidData, "cannot standardise a constant map channel (zero variance)");
      scale = 1.0 / std::sqrt(var);
    } else if (card.preprocessing == Preprocessing::GlobalZScore) {
      mean = card.globalMean;
      scale = 1.0 / card.globalStd;
    }
    for (double& v : plane) {
      if (isMasked(v)) {
        v = card.fillValue;  // filled after scaling: the fill value is in model-input units
        ++masked;
      } else {
        v = (v - mean) * scale;
      }
    }
  }
  return masked;
}

}  // namespace sky
