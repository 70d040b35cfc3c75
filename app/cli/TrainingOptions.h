#pragma once
// The training recipe's options, shared by `train` and `ablate --retrain` (which retrains with
// the same recipe for every cut).
#include <set>
#include <string>

#include "Arguments.h"
#include "model/Training.h"

namespace cli {

std::set<std::string> trainingOptionNames();  // arch, widths, dense, dropout, ..., seed
// Throws SkyError(Usage) for a malformed value; --threads comes from the arguments too.
sky::TrainingOptions trainingOptions(const Arguments& args);

}  // namespace cli
