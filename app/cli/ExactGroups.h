#pragma once
// `explain --method exact --groups G`: exact Shapley values of a few feature groups (the input's
// channels, the map's multipole bands, coarse sky regions; explain/GroupShapley.h), written as
// an (N, K, G) float64 .npy with the groups, base and full values in the sidecar JSON.
#include <string>

#include "Arguments.h"
#include "io/AtomicFile.h"

namespace cli {

void explainExactGroups(const Arguments& args, const std::string& modelPath, const std::string& input,
                        const std::string& output, const std::string& sidecar, sky::Overwrite overwrite);

}  // namespace cli
