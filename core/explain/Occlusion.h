#pragma once
// Captum's Occlusion: slide a (c, h, w) window over the input with the given strides, replace
// it by the baseline value, and give every covered feature the drop f(x) - f(occluded),
// averaged over the windows that cover it. Features no window covers get 0 (Captum: 0/0).
#include "explain/Attribution.h"
#include "jobs/Progress.h"

namespace sky {

struct OcclusionOptions {
  TargetSelection targets = TargetSelection::parse("0");
  ImageShape window{1, 8, 8};   // sliding_window_shapes (C, H, W)
  ImageShape strides{1, 1, 1};  // Captum's default stride 1 in every dimension
  double baseline = 0.0;
  int batchSize = 32;  // occluded images per model call (perturbations_per_eval)
};

Attribution explainOcclusion(Model& model, const ImageBatch& batch, const OcclusionOptions& options,
                             Progress& progress);

}  // namespace sky
