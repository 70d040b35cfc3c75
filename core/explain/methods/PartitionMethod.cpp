#include "explain/PartitionExplainer.h"
#include "explain/methods/Methods.h"

namespace sky {

Explainer partitionExplainer() {
  Explainer e("partition", "SHAP Partition",
              "Owen values over shap's image hierarchy, numerically as shap's Partition explainer");
  ExplainerParameter evals{"max-evals", ParameterKind::Integer, "500",
                           "model evaluations per image, f(x) included (shap's max_evals); more = finer detail"};
  evals.min = 3;
  evals.max = 2147483647;
  evals.metavar = "N";
  evals.formerNames = {"max_evals"};
  e.parameters = {targetParameter("all"), evals,
                  batchSizeParameter("masked images per model call; changes the values, exactly as in shap"),
                  maskerParameter()};
  e.run = [](Model& model, const ImageBatch& batch, const ExplainerArguments& a, Progress& progress) {
    PartitionOptions o;
    o.maxEvals = a.integer("max-evals");
    o.batchSize = a.integer("batch-size");
    o.masker = MaskerSpec::parse(a.text("masker"));
    o.targets = a.targets();
    return explainPartition(model, batch, o, progress);
  };
  return e;
}

}  // namespace sky
