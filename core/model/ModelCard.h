#pragma once
// The model card: a JSON file beside the .pt (same stem) saying what the model expects and
// returns (docs/CONVENTIONS.md, "Models"). Example:
// {
//   "format": "skyinterpret-model-card/1",
//   "input": {"channels": ["T"], "height": 32, "width": 64, "grid": "cartview"},
//   "preprocessing": {"kind": "per-map-zscore", "fill_value": 0},
//   "outputs": {"names": ["LCDM", "feature"], "logits": true},
//   "description": "..."
// }
// A regression network says "task": "regression" and names the parameters it predicts:
//   "outputs": {"names": ["h", "sigma_h"], "logits": false, "targets": ["h"], "sigmas": true}
// Its outputs are the parameters' posterior means, then (sigmas) their standard deviations.
// preprocessing.kind is "none", "per-map-zscore", or "global-zscore" (with "mean" and "std").
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sky {

enum class Preprocessing { None, PerMapZScore, GlobalZScore };
enum class ModelTask { Classification, Regression };

struct ModelCard {
  std::vector<std::string> channels;  // e.g. {"T"} or {"T","Q","U"}; empty when unknown
  int height = 0, width = 0;          // image rows (ny) and columns (nx); 0 when unknown
  std::string grid = "cartview";
  Preprocessing preprocessing = Preprocessing::None;
  double globalMean = 0.0, globalStd = 1.0;
  double fillValue = 0.0;  // value given to masked pixels before preprocessing
  std::vector<std::string> outputNames;
  bool outputsAreLogits = true;
  ModelTask task = ModelTask::Classification;
  std::vector<std::string> targets;  // regression: the parameters, in output order
  bool sigmaOutputs = false;         // regression: outputs P..2P-1 are their standard deviations
  std::string description;

  bool hasInputShape() const { return !channels.empty() && height > 0 && width > 0; }
};

ModelCard parseModelCard(const std::string& jsonText, const std::string& sourceName);
ModelCard readModelCard(const std::filesystem::path& path);
void writeModelCard(const ModelCard& card, const std::filesystem::path& path);
std::string modelCardJson(const ModelCard& card);

// model.pt -> model.json when that file exists.
std::optional<std::filesystem::path> modelCardPathFor(const std::filesystem::path& modelPath);

const char* preprocessingName(Preprocessing p);

}  // namespace sky
