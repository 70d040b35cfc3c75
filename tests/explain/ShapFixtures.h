#pragma once
// shap's reference inputs are channel-last (N, H, W, C); explainers take NCHW batches.
#include "io/Npy.h"
#include "model/ImageBatch.h"

namespace skytest {

// The first `count` images of shap's X (all of them when count < 0) as an NCHW float batch.
inline sky::ImageBatch fromChannelLast(const sky::NpyArray& a, int count = -1) {
  const int n = count < 0 ? static_cast<int>(a.shape[0]) : count, h = static_cast<int>(a.shape[1]),
            w = static_cast<int>(a.shape[2]), c = static_cast<int>(a.shape[3]);
  sky::ImageBatch b{{c, h, w}, n, std::vector<float>(static_cast<size_t>(n) * c * h * w)};
  for (int i = 0; i < n; ++i)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int k = 0; k < c; ++k)
          b.nchw[((static_cast<size_t>(i) * c + k) * h + y) * w + x] =
              static_cast<float>(a.values[((static_cast<size_t>(i) * h + y) * w + x) * c + k]);
  return b;
}

}  // namespace skytest
