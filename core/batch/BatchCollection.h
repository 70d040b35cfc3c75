#pragma once
// A batch output directory read back for exploring: its settings, the latest record of every
// input (with the class label when the inputs come from a simulated dataset), and the mean
// attribution maps over its results.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "batch/BatchManifest.h"
#include "jobs/Progress.h"

namespace sky {

struct CollectionEntry {
  BatchRecord record;
  std::optional<int> label;  // from the dataset's manifest.csv beside the input, when there is one
  // The result files by kind; empty when the run did not write one.
  std::filesystem::path attributionMap() const;    // KEY.METHOD.fits (HEALPix)
  std::filesystem::path attributionImage() const;  // KEY.METHOD.npy
  std::filesystem::path directory;
};

struct BatchCollection {
  std::filesystem::path directory;
  BatchSettings settings;
  std::vector<CollectionEntry> entries;  // sorted by key
  int unreadableLines = 0;
  size_t okCount() const;
};

// Throws SkyError(FileNotFound) naming the directory when it holds no batch.json.
BatchCollection openBatchCollection(const std::filesystem::path& directory);

struct CollectionMeans {
  int nside = 0;
  // One group per label present ("LambdaCDM (label 0)", ...), after "all results".
  std::vector<std::string> groups;
  std::vector<int> counts;                   // results per group
  std::vector<std::vector<double>> mean;     // RING, field 0 of each attribution map
  std::vector<std::vector<double>> meanAbs;  // mean |attribution|
  // The attributions' angular power spectra over each group's maps (masked pixels as zero, as
  // `aggregate` does): C_l mean and sample standard deviation (NaN for one map), l = 0..lmax,
  // lmax = 3 nside - 1 up to nside 512 and 2 nside above.
  std::vector<std::vector<double>> clMean, clStd;
};

// Reads every ok result's HEALPix attribution and averages it, pixel by pixel (UNSEEN pixels
// are left out of that pixel's mean), and its power spectrum. Throws SkyError: InvalidData
// when none has a map or their nsides differ; Cancelled through `progress`.
CollectionMeans meanAttributions(const BatchCollection& collection, Progress& progress);

}  // namespace sky
