#pragma once
// N images of one shape, NCHW float32: model input after any preprocessing.
#include <string>
#include <vector>

#include "model/Model.h"

namespace sky {

struct ImageBatch {
  ImageShape shape;
  int count = 0;
  std::vector<float> nchw;

  const float* image(int n) const { return nchw.data() + static_cast<size_t>(n) * shape.size(); }
  // Throws SkyError(InvalidData) if any value is NaN or infinite (they must never reach a model).
  void checkFinite(const std::string& what) const;
};

}  // namespace sky
