#pragma once
// SHAP Partition (Owen values over shap's image partition tree), numerically equal to
// shap 0.52's PartitionExplainer with an Image masker: same tree, batch-building rule, priority
// queue and credit lowering, so values, base values and model rows evaluated match
// (docs/CONVENTIONS.md). Ties in the queue priority are broken first-in-first-out, where shap
// draws from numpy's global RNG; exact ties are rare on real data.
#include "explain/Attribution.h"
#include "explain/Masker.h"
#include "jobs/Progress.h"

namespace sky {

struct PartitionOptions {
  int maxEvals = 500;  // model rows per image, f(x) and f(masked) included (shap's max_evals)
  int batchSize = 32;  // masks per model call; changes the result, as in shap
  MaskerSpec masker;   // zero by default
  TargetSelection targets;
};

Attribution explainPartition(Model& model, const ImageBatch& batch, const PartitionOptions& options,
                             Progress& progress);

}  // namespace sky
