#pragma once
// A labelled set of model inputs read from a directory with a manifest.csv (as written by
// `skyinterpret-cli simulate`): .npy images (C, H, W) are used as they are, FITS maps are
// projected on the card's cartview grid; both then get the card's preprocessing.
#include <filesystem>
#include <string>
#include <vector>

#include "jobs/Progress.h"
#include "model/ImageBatch.h"
#include "model/ModelCard.h"

namespace sky {

struct LabelledImages {
  ImageBatch images;        // NCHW float32, preprocessed
  std::vector<int> labels;  // 0 = LambdaCDM, 1 = feature
  std::vector<std::string> files;
};

// `card` must give channels, height and width when the directory holds FITS maps; for .npy
// it is checked against the images (and filled in when empty).
LabelledImages loadDataset(const std::filesystem::path& directory, ModelCard& card, Progress& progress);

}  // namespace sky
