#pragma once
// Owen values on the sphere: shap's Partition recursion with the HEALPix NESTED hierarchy at
// nside N as the coalition tree (explain/HealpixTree). A coalition masks the map's absent
// coarse pixels before projection, so each value belongs to a sky pixel at nside N and no
// image is reprojected. A player is one coarse pixel in every channel at once.
#include <optional>
#include <string>
#include <vector>

#include "explain/Attribution.h"
#include "jobs/Progress.h"
#include "model/ModelCard.h"
#include "sky/SkyMap.h"

namespace sky {

class Model;

struct HealpixPartitionOptions {
  int treeNside = 8;
  int maxEvals = 500;  // model rows, f(x) and f(all absent) included (shap's max_evals)
  int batchSize = 32;
  // What an absent sky pixel holds, in the map's units before preprocessing; none = masked,
  // filled as the model card says (as a masked pixel of the input is).
  std::optional<double> absentValue;
  TargetSelection targets;
};

struct SphereAttribution {
  int nside = 0;                         // RING values at this nside
  std::vector<int> targetIndex;          // K explained outputs
  std::vector<std::string> outputNames;  // all of the model's outputs
  std::vector<double> values;            // K x 12 nside^2, RING order
  std::vector<double> baseValues;        // K: f(every pixel absent)
  std::vector<double> outputs;           // K: f(x)
  long long modelRowsEvaluated = 0;
  long long unsampledPlayers = 0;  // coarse pixels no image pixel samples: value 0
  double seconds = 0.0;
};

// `map` in any ordering; the card gives the projection, fill and preprocessing (the whole
// input's statistics, as for exact region values). Throws SkyError for a tree finer than the
// map, a map without the card's channels, or a budget under 3.
SphereAttribution explainPartitionHealpix(Model& model, const SkyMap& map, const ModelCard& card,
                                          const HealpixPartitionOptions& options, const std::string& source,
                                          Progress& progress);

}  // namespace sky
