#pragma once
// `ablate --retrain` (ROAR-style, as the CNN2D seed does): for each cut, retrain the network
// with the same recipe on the cut training skies and measure it on the cut test skies, so a
// cut's cost is the information lost, not the surprise of a network that never saw such skies.
// Each cut's network (cut_k.pt, its card cut_k.json) and result (cut_k_result.json) go to
// --retrain-dir; a rerun reuses the cuts already done.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "Arguments.h"
#include "Commands.h"
#include "model/ModelCard.h"
#include "sky/SkyMap.h"

namespace cli {

struct RetrainRequest {
  std::filesystem::path trainData;  // FITS dataset with a manifest, cut like the test maps
  std::filesystem::path directory;  // cut_k.pt, cut_k.json (its card), cut_k_result.json
  sky::ModelCard card;              // of the evaluated model: grid, preprocessing, task, targets
  int target = 0;
  std::vector<double> cuts;                                    // the grid, for names and records
  std::function<sky::SkyMap(const sky::SkyMap&, size_t)> cut;  // map, cut index -> cut map
};

// The retrained metric per cut: AUC for a classifier (labels), R^2 of the target parameter
// for a regression network (truth).
std::vector<double> retrainedMetrics(const Arguments& args, const RetrainRequest& request, const LabelledMaps& test,
                                     const std::vector<double>& truth);

}  // namespace cli
