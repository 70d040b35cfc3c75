#pragma once
// What a selection holds: pixel count and sky fraction, attribution inside (mean, total and
// share of the total |attribution|) and the mean map value, for the selection and its complement.
#include <cstdint>
#include <functional>

#include "select/Selection.h"
#include "sky/SkyMap.h"

namespace sky {

struct RegionSummary {
  int64_t pixels = 0;             // unmasked pixels of the reference map
  double skyFraction = 0.0;       // of the whole sphere
  double meanAttribution = 0.0;   // NaN without attribution or pixels
  double totalAttribution = 0.0;  // sum over HEALPix pixels (map units x pixels)
  double absShare = 0.0;          // sum |a| inside / sum |a| everywhere
  double meanMap = 0.0;
};

struct SelectionSummary {
  RegionSummary inside, outside;
};

// Either map may be null (not both). Each is read at its own nside; pixel counts and sky
// fractions are those of the map (or of the attribution when there is no map). UNSEEN/NaN
// pixels count in neither part.
SelectionSummary summariseSelection(const Selection& selection, const SkyMap* map, const SkyMap* attribution);
// The same with the selection's masks supplied (e.g. a cache of them by nside); the mask
// returned for an nside must stay valid during the call.
using MaskAt = std::function<const SkyMask&(int nside)>;
SelectionSummary summariseSelection(const MaskAt& maskAt, const SkyMap* map, const SkyMap* attribution);

}  // namespace sky
