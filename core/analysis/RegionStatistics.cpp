#include "analysis/RegionStatistics.h"

#include <cmath>
#include <limits>
#include <map>

#include "util/Error.h"

namespace sky {
namespace {

struct Sums {
  int64_t count[2] = {0, 0};
  double sum[2] = {0, 0}, absSum[2] = {0, 0};
};

Sums sumByMask(const SkyMap& map, const MaskAt& maskAt) {
  const SkyMask& mask = maskAt(map.nside());
  const auto values = map.field(0);
  Sums s;
  for (size_t p = 0; p < values.size(); ++p) {
    if (isMasked(values[p])) continue;
    const int part = mask.inside[p] ? 0 : 1;
    ++s.count[part];
    s.sum[part] += values[p];
    s.absSum[part] += std::abs(values[p]);
  }
  return s;
}

double meanOf(double sum, int64_t count) {
  return count > 0 ? sum / static_cast<double>(count) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

SelectionSummary summariseSelection(const Selection& selection, const SkyMap* map, const SkyMap* attribution) {
  std::map<int, SkyMask> masks;  // one per nside, shared by the map and the attribution
  return summariseSelection(
      [&](int nside) -> const SkyMask& {
        auto it = masks.find(nside);
        if (it == masks.end()) it = masks.emplace(nside, selection.maskFor(nside)).first;
        return it->second;
      },
      map, attribution);
}

SelectionSummary summariseSelection(const MaskAt& maskAt, const SkyMap* map, const SkyMap* attribution) {
  if (!map && !attribution) throw SkyError(ErrorKind::InvalidArgument, "nothing to summarise");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  SelectionSummary out;
  RegionSummary* parts[2] = {&out.inside, &out.outside};
  const SkyMap& reference = map ? *map : *attribution;
  const Sums r = sumByMask(reference, maskAt);
  for (int k = 0; k < 2; ++k) {
    parts[k]->pixels = r.count[k];
    parts[k]->skyFraction = static_cast<double>(r.count[k]) / static_cast<double>(reference.npix());
    parts[k]->meanMap = map ? meanOf(r.sum[k], r.count[k]) : nan;
    parts[k]->meanAttribution = parts[k]->totalAttribution = parts[k]->absShare = nan;
  }
  if (attribution) {
    const Sums a = attribution == map ? r : sumByMask(*attribution, maskAt);
    const double absTotal = a.absSum[0] + a.absSum[1];
    for (int k = 0; k < 2; ++k) {
      parts[k]->meanAttribution = meanOf(a.sum[k], a.count[k]);
      parts[k]->totalAttribution = a.sum[k];
      parts[k]->absShare = absTotal > 0 ? a.absSum[k] / absTotal : nan;
    }
  }
  return out;
}

}  // namespace sky
