#pragma once
// The built-in explainers, one file each; ExplainerRegistry.cpp lists them.
#include "explain/ExplainerRegistry.h"

namespace sky {

Explainer partitionExplainer();
Explainer permutationExplainer();
Explainer integratedGradientsExplainer();
Explainer saliencyExplainer();
Explainer smoothGradExplainer();
Explainer gradientShapExplainer();
Explainer occlusionExplainer();

// Parameters several explainers share.
ExplainerParameter targetParameter(const std::string& defaultValue);
ExplainerParameter batchSizeParameter(const std::string& help);
ExplainerParameter maskerParameter();  // the SHAP explainers' Image masker

}  // namespace sky
