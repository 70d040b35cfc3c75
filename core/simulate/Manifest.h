#pragma once
// A dataset's manifest.csv: one row per map with its file (relative to the manifest), label
// (0 = LambdaCDM, 1 = feature), seed, and the parameters it was simulated with.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/AtomicFile.h"

namespace sky {

struct ManifestEntry {
  std::string file;
  int label = 0;
  unsigned long long seed = 0;
  std::map<std::string, double> parameters;
};

// Header: file,label,seed, then the parameter names of the first entry (sorted).
void writeManifest(const std::filesystem::path& path, const std::vector<ManifestEntry>& entries, Overwrite overwrite);
std::vector<ManifestEntry> readManifest(const std::filesystem::path& path);

}  // namespace sky
