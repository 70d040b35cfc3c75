#pragma once
// What every explainer takes and returns.
#include <string>
#include <utility>
#include <vector>

#include "model/ImageBatch.h"
#include "model/Model.h"

namespace sky {

// Which outputs to explain: explicit indices, all of them, or the top k by f(x) per image.
struct TargetSelection {
  enum class Kind { Indices, All, TopK } kind = Kind::All;
  std::vector<int> indices;
  int topK = 1;

  static TargetSelection parse(const std::string& text);  // "0", "0,2", "all", "top2"
  std::string text() const;
};

struct Attribution {
  std::string method;
  ImageShape shape;
  int images = 0;
  int targetsPerImage = 0;               // K
  std::vector<int> targetIndex;          // N x K: which model output each attribution explains
  std::vector<std::string> outputNames;  // all of the model's outputs
  std::vector<double> values;            // (N, K, C, H, W)
  std::vector<double> baseValues;        // N x K (f at the baseline / fully masked input)
  std::vector<double> outputs;           // N x K, f(x)
  std::vector<double> convergenceDelta;  // N x K, Integrated Gradients only
  long long modelRowsEvaluated = 0;
  double seconds = 0.0;
  std::vector<std::pair<std::string, std::string>> parameters;  // every parameter, defaults included

  double& at(int n, int k, int c, int h, int w) {
    return values[((((static_cast<size_t>(n) * targetsPerImage + k) * shape.channels + c) * shape.height + h) *
                   shape.width) +
                  w];
  }
  // Sum of the attributions of image n, target slot k.
  double total(int n, int k) const;
};

// Resolves the selection against f(x) of each image: returns N x K output indices.
std::vector<int> resolveTargets(const TargetSelection& selection, const std::vector<double>& fx, int images,
                                int outputCount);

// One NCHW image as (H, W, C) channel-last, the order of shap's image features.
std::vector<float> toChannelLast(const float* chw, const ImageShape& s);

// The checks every explainer makes on its inputs (shape vs model, finiteness, count).
void checkBatchForModel(const ImageBatch& batch, const Model& model);

}  // namespace sky
