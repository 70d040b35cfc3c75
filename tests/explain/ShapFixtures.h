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

// shap's values (N, H, W, C) or (N, H, W, C, K) in an Attribution's order (N, K, C, H, W).
inline std::vector<double> toAttributionOrder(const sky::NpyArray& a) {
  const size_t n = a.shape[0], h = a.shape[1], w = a.shape[2], c = a.shape[3], k = a.shape.size() > 4 ? a.shape[4] : 1;
  std::vector<double> out(a.values.size());
  for (size_t i = 0; i < n; ++i)
    for (size_t y = 0; y < h; ++y)
      for (size_t x = 0; x < w; ++x)
        for (size_t ch = 0; ch < c; ++ch)
          for (size_t t = 0; t < k; ++t)
            out[(((i * k + t) * c + ch) * h + y) * w + x] = a.values[(((i * h + y) * w + x) * c + ch) * k + t];
  return out;
}

}  // namespace skytest
