#pragma once
// N images of one shape, NCHW float32: model input after any preprocessing.
#include <string>
#include <vector>

#include "model/Model.h"
#include "sky/Image.h"

namespace sky {

struct ImageBatch {
  ImageShape shape;
  int count = 0;
  std::vector<float> nchw;

  const float* image(int n) const { return nchw.data() + static_cast<size_t>(n) * shape.size(); }
  // Throws SkyError(InvalidData) if any value is NaN or infinite (they must never reach a model).
  void checkFinite(const std::string& what) const;
};

// One image (double, C x H x W) as a batch of one float32 image, and image n of a batch back.
inline ImageBatch batchOf(const Image& image) {
  return {{image.channels(), image.height(), image.width()},
          1,
          std::vector<float>(image.data().begin(), image.data().end())};
}
inline Image imageAt(const ImageBatch& batch, int n) {
  const float* first = batch.image(n);
  return Image(batch.shape.channels, batch.shape.height, batch.shape.width,
               std::vector<double>(first, first + batch.shape.size()));
}

}  // namespace sky
