#pragma once
// SHAP Permutation, numerically equal to shap 0.52's PermutationExplainer with an Image masker:
// each permutation follows shap's image partition tree (switches drawn from numpy's legacy
// global generator seeded with `seed`, stats/NumpyRandom.h), is walked forward (adding each
// feature to the masked image) and backward (removing it), and every step's output difference
// is credited to its feature. npermutations = max_evals / (2M + 1) for M features; the
// generator runs on from one image to the next, as shap's does.
#include <cstdint>

#include "explain/Attribution.h"
#include "explain/Masker.h"
#include "jobs/Progress.h"

namespace sky {

struct PermutationOptions {
  int maxEvals = 0;    // model rows per image (shap's max_evals); 0: one permutation, 2M + 1 rows
  int batchSize = 32;  // masked images per model call (does not change the values)
  MaskerSpec masker;   // zero by default
  TargetSelection targets;
  uint32_t seed = 0;  // np.random.seed(seed), as shap.Explainer(..., seed=seed)
};

// Throws SkyError(InvalidArgument) when max_evals < 2M + 1 (shap's own error).
Attribution explainPermutation(Model& model, const ImageBatch& batch, const PermutationOptions& options,
                               Progress& progress);

}  // namespace sky
