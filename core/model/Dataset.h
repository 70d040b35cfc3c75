#pragma once
// A labelled set of model inputs read from a directory with a manifest.csv (as written by
// `skyinterpret-cli simulate`): .npy images (C, H, W) are used as they are, FITS maps are
// projected on the card's cartview grid; both then get the card's preprocessing.
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "jobs/Progress.h"
#include "model/ImageBatch.h"
#include "model/ModelCard.h"
#include "sky/SkyMap.h"

namespace sky {

struct LabelledImages {
  ImageBatch images;        // NCHW float32, preprocessed
  std::vector<int> labels;  // 0 = LambdaCDM, 1 = feature
  std::vector<std::string> files;
  std::vector<std::map<std::string, double>> parameters;  // the manifest's parameter columns, per image
};

// The values of `names` for every image (N x P, row-major) from the manifest's parameters.
// Throws SkyError naming the parameters the manifest has when one is missing.
std::vector<double> parameterValues(const LabelledImages& data, const std::vector<std::string>& names);

// `card` must give channels, height and width when the directory holds FITS maps; for .npy
// it is checked against the images (and filled in when empty).
// `transform`, when given, changes each FITS map before it is projected (a retrained
// ablation cuts scales or spots this way); .npy images cannot be transformed and are refused.
using MapTransform = std::function<SkyMap(const SkyMap& map)>;
LabelledImages loadDataset(const std::filesystem::path& directory, ModelCard& card, Progress& progress,
                           const MapTransform& transform = {});

}  // namespace sky
