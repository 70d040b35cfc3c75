#include "explain/PermutationExplainer.h"
#include "explain/methods/Methods.h"

namespace sky {

Explainer permutationExplainer() {
  Explainer e("permutation", "SHAP Permutation",
              "Shapley values from tree-consistent permutations walked both ways, numerically as shap's "
              "Permutation explainer for the same seed");
  ExplainerParameter evals{"max-evals", ParameterKind::Integer, "0",
                           "model evaluations per image (shap's max_evals): a permutation costs 2 x features + 1; 0 = "
                           "one permutation (shap's \"auto\" is 20 x features, nine permutations)"};
  evals.min = 0;
  evals.max = 2147483647;
  evals.metavar = "N";
  ExplainerParameter seed{
      "seed", ParameterKind::Integer,
      "0",    "numpy's legacy generator seed, as shap.Explainer(..., seed=S): same seed, same values",
      0,      4294967295.0};
  seed.metavar = "S";
  e.parameters = {targetParameter("all"), evals, batchSizeParameter("masked images per model call"), maskerParameter(),
                  seed};
  e.run = [](Model& model, const ImageBatch& batch, const ExplainerArguments& a, Progress& progress) {
    PermutationOptions o;
    o.maxEvals = a.integer("max-evals");
    o.batchSize = a.integer("batch-size");
    o.masker = MaskerSpec::parse(a.text("masker"));
    o.targets = a.targets();
    o.seed = static_cast<uint32_t>(a.number("seed"));
    return explainPermutation(model, batch, o, progress);
  };
  return e;
}

}  // namespace sky
