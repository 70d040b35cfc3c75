#include "model/Preprocess.h"

#include <cmath>

#include "sky/SkyMap.h"
#include "util/Error.h"

namespace sky {

PreprocessingStats preprocessingStats(const ModelCard& card, const Image& image) {
  PreprocessingStats stats;
  for (int c = 0; c < image.channels(); ++c) {
    const auto plane = image.plane(c);
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
    stats.mean.push_back(mean);
    stats.scale.push_back(scale);
  }
  return stats;
}

long long applyPreprocessing(const ModelCard& card, Image& image, const PreprocessingStats& stats) {
  long long masked = 0;
  for (int c = 0; c < image.channels(); ++c) {
    const double mean = stats.mean.at(static_cast<size_t>(c)), scale = stats.scale.at(static_cast<size_t>(c));
    for (double& v : image.plane(c)) {
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

long long applyPreprocessing(const ModelCard& card, Image& image) {
  return applyPreprocessing(card, image, preprocessingStats(card, image));
}

}  // namespace sky
