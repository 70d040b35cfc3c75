#pragma once
// `explain --method partition-healpix --tree-nside N`: Owen values on the HEALPix NESTED tree
// (explain/HealpixPartition.h), born on the sphere: an (1, K, 12 N^2) float64 .npy in RING
// order, the sidecar JSON, and with --healpix-out a HEALPix FITS map at nside N.
#include <optional>
#include <string>

#include "Arguments.h"
#include "io/AtomicFile.h"

namespace cli {

void explainPartitionHealpix(const Arguments& args, const std::string& modelPath, const std::string& input,
                             const std::string& output, const std::string& sidecar,
                             const std::optional<std::string>& healpixOut, sky::Overwrite overwrite);

}  // namespace cli
