#pragma once
// Exact Shapley values of a few players: the input's channels, the map's components in
// multipole bands, or the pixels of a coarse HEALPix grid. Every one of the 2^G coalitions is
// evaluated (G <= 16), so the values are exact and efficiency holds to rounding:
// sum_g phi_g = f(all present) - f(none present).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "jobs/Progress.h"
#include "model/ImageBatch.h"
#include "model/ModelCard.h"
#include "sky/SkyMap.h"

namespace sky {

class Model;

constexpr int kMaxGroupPlayers = 16;

struct FeatureGroup {
  std::string name;             // "T", "l 2-19", "region 5"
  int lmin = -1, lmax = -1;     // multipole bands: [lmin, lmax]
  std::vector<int64_t> pixels;  // regions: the coarse RING pixel (one)
};

// How the players are chosen: "channels", "lbands:L0,L1,...,Ln" (bands [Li, Li+1)), or
// "regions:NSIDE" (12 NSIDE^2 coarse pixels). Throws SkyError(Usage) for anything else, and
// SkyError(InvalidArgument) beyond 16 players, pointing to partition.
struct GroupSpec {
  enum class Kind { Channels, Bands, Regions } kind = Kind::Channels;
  std::vector<int> edges;  // bands
  int regionNside = 0;     // regions
  static GroupSpec parse(const std::string& text);
  std::string text() const;
};

struct GroupShapley {
  std::vector<FeatureGroup> groups;  // G players
  int outputs = 0;                   // K: every model output
  std::vector<double> values;        // K x G
  std::vector<double> empty, full;   // f(no player), f(every player): K each
  long long rowsEvaluated = 0;
};

// The model outputs (K each, rows in order) for each coalition (bit g set: player g present).
using CoalitionEvaluator = std::function<std::vector<double>(const std::vector<uint32_t>& coalitions)>;

// Shapley values from every coalition of `players`, `batch` coalitions per evaluate call.
GroupShapley exactShapley(int players, int outputs, const CoalitionEvaluator& evaluate, int batch, Progress& progress);

// Players are the image's channels; an absent channel takes `absentValue` (model input units).
GroupShapley channelShapley(Model& model, const ImageBatch& image, double absentValue, int batch, Progress& progress);

// Players are band components or coarse regions of `map`; each coalition's map is made model
// input through the card (projection, masked-pixel fill, preprocessing) as `explain` does,
// except that the preprocessing's statistics are the whole input's, so a coalition differs
// from the input only where its groups are absent (an absent band is removed; an absent
// region is masked and takes the card's fill value).
GroupShapley mapGroupShapley(Model& model, const SkyMap& map, const ModelCard& card, const GroupSpec& spec,
                             const std::string& source, int batch, Progress& progress);

}  // namespace sky
