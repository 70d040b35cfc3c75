#include "select/Selection.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "util/Error.h"

namespace sky {
namespace {

constexpr double kDeg = 180.0 / std::numbers::pi;

// Even-odd rule on a closed polygon (the last vertex joins the first).
bool insidePolygon(const std::vector<PlanePoint>& v, PlanePoint p) {
  bool inside = false;
  for (size_t i = 0, j = v.size() - 1; i < v.size(); j = i++) {
    if ((v[i].y > p.y) != (v[j].y > p.y) && p.x < (v[j].x - v[i].x) * (p.y - v[i].y) / (v[j].y - v[i].y) + v[i].x) {
      inside = !inside;
    }
  }
  return inside;
}

PlanePoint lonLatOf(const SkyDirection& d) {
  double lon = d.phi * kDeg;
  if (lon > 180.0) lon -= 360.0;
  return {lon, 90.0 - d.theta * kDeg};
}

template <class Test>
SkyMask maskWhere(int nside, Test&& test) {
  SkyMask mask{nside, std::vector<uint8_t>(static_cast<size_t>(npixForNside(nside)), 0)};
  const int64_t npix = static_cast<int64_t>(mask.inside.size());
#pragma omp parallel for schedule(static)
  for (int64_t p = 0; p < npix; ++p) mask.inside[static_cast<size_t>(p)] = test(ringPixelCentre(nside, p)) ? 1 : 0;
  return mask;
}

// A mask defined on pixels of another nside, read at the centres of this nside's pixels.
template <class Flag>
SkyMask resampleFlags(int sourceNside, int nside, Flag&& flag) {
  if (sourceNside == nside) {
    SkyMask mask{nside, std::vector<uint8_t>(static_cast<size_t>(npixForNside(nside)))};
    for (size_t p = 0; p < mask.inside.size(); ++p) mask.inside[p] = flag(static_cast<int64_t>(p)) ? 1 : 0;
    return mask;
  }
  return maskWhere(nside, [&](const SkyDirection& d) { return flag(ringPixelAt(sourceNside, d)); });
}

}  // namespace

int64_t SkyMask::count() const { return std::count(inside.begin(), inside.end(), uint8_t{1}); }

const char* selectionModeName(SelectionMode mode) {
  switch (mode) {
    case SelectionMode::Replace:
      return "replace";
    case SelectionMode::Add:
      return "add";
    case SelectionMode::Intersect:
      return "intersect";
    case SelectionMode::Subtract:
      return "subtract";
    case SelectionMode::Toggle:
      return "toggle";
  }
  return "replace";
}

SelectionMode parseSelectionMode(const std::string& name) {
  for (SelectionMode m : {SelectionMode::Replace, SelectionMode::Add, SelectionMode::Intersect, SelectionMode::Subtract,
                          SelectionMode::Toggle}) {
    if (name == selectionModeName(m)) return m;
  }
  throw SkyError(ErrorKind::InvalidArgument,
                 "unknown selection mode '" + name + "' (replace, add, intersect, subtract, toggle)");
}

SkyMask regionMask(const Region& region, int nside) {
  if (!isValidNside(nside)) throw SkyError(ErrorKind::InvalidArgument, "invalid nside " + std::to_string(nside));
  return std::visit(
      [nside](const auto& r) -> SkyMask {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, DiscRegion>) {
          const double cosRadius = std::cos(r.radius);
          const double cx = std::sin(r.centre.theta) * std::cos(r.centre.phi),
                       cy = std::sin(r.centre.theta) * std::sin(r.centre.phi), cz = std::cos(r.centre.theta);
          return maskWhere(nside, [&](const SkyDirection& d) {
            const double s = std::sin(d.theta);
            return s * std::cos(d.phi) * cx + s * std::sin(d.phi) * cy + std::cos(d.theta) * cz >= cosRadius;
          });
        } else if constexpr (std::is_same_v<R, PolygonRegion>) {
          if (r.vertices.size() < 3)
            return SkyMask{nside, std::vector<uint8_t>(static_cast<size_t>(npixForNside(nside)), 0)};
          if (r.plane == ProjectionPlane::Mollweide) {
            return maskWhere(nside,
                             [&](const SkyDirection& d) { return insidePolygon(r.vertices, mollweideForward(d)); });
          }
          return maskWhere(nside, [&](const SkyDirection& d) { return insidePolygon(r.vertices, lonLatOf(d)); });
        } else if constexpr (std::is_same_v<R, ValueRangeRegion>) {
          if (!r.map) throw SkyError(ErrorKind::InvalidArgument, "value-range selection without its map");
          const auto values = r.map->field(0);
          return resampleFlags(r.map->nside(), nside, [&](int64_t p) {
            const double v = values[static_cast<size_t>(p)];
            if (isMasked(v)) return false;
            const double x = r.absolute ? std::abs(v) : v;
            return x >= r.lo && x <= r.hi;
          });
        } else if constexpr (std::is_same_v<R, PixelSetRegion>) {
          if (!r.inside) throw SkyError(ErrorKind::InvalidArgument, "pixel-set selection without pixels");
          return resampleFlags(r.nside, nside, [&](int64_t p) { return (*r.inside)[static_cast<size_t>(p)] != 0; });
        } else {
          return SkyMask{nside, std::vector<uint8_t>(static_cast<size_t>(npixForNside(nside)), 1)};
        }
      },
      region);
}

Selection Selection::combined(SelectionMode mode, Region region) const {
  Selection out = *this;
  // With no region yet, a gesture starts the selection whatever the mode (as glue does).
  if (mode == SelectionMode::Replace || steps_.empty()) {
    out.steps_.clear();
    mode = SelectionMode::Replace;
  }
  out.steps_.push_back({mode, std::move(region)});
  return out;
}

SkyMask Selection::maskFor(int nside) const {
  SkyMask mask{nside, std::vector<uint8_t>(static_cast<size_t>(npixForNside(nside)), 0)};
  for (const SelectionStep& step : steps_) {
    const SkyMask r = regionMask(step.region, nside);
    for (size_t p = 0; p < mask.inside.size(); ++p) {
      const uint8_t a = mask.inside[p], b = r.inside[p];
      switch (step.mode) {
        case SelectionMode::Replace:
          mask.inside[p] = b;
          break;
        case SelectionMode::Add:
          mask.inside[p] = a | b;
          break;
        case SelectionMode::Intersect:
          mask.inside[p] = a & b;
          break;
        case SelectionMode::Subtract:
          mask.inside[p] = a & !b;
          break;
        case SelectionMode::Toggle:
          mask.inside[p] = a ^ b;
          break;
      }
    }
  }
  return mask;
}

ValueRangeRegion topFractionRegion(std::shared_ptr<const SkyMap> map, const std::string& layer, double fraction,
                                   bool absolute) {
  if (!map) throw SkyError(ErrorKind::InvalidArgument, "no map to select from");
  if (!(fraction > 0.0 && fraction <= 1.0)) {
    throw SkyError(ErrorKind::InvalidArgument, "the top fraction must be in (0, 1]");
  }
  std::vector<double> v;
  for (double x : map->field(0)) {
    if (!isMasked(x)) v.push_back(absolute ? std::abs(x) : x);
  }
  if (v.empty()) throw SkyError(ErrorKind::InvalidData, layer + " has no unmasked pixels to select from");
  const size_t keep = std::max<size_t>(1, static_cast<size_t>(std::llround(fraction * static_cast<double>(v.size()))));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(keep - 1), v.end(), std::greater<>());
  const double threshold = v[keep - 1];
  const double top = *std::max_element(v.begin(), v.end());
  return ValueRangeRegion{layer, std::move(map), threshold, top, absolute};
}

SkyMap maskToMap(const SkyMask& mask) {
  std::vector<double> values(mask.inside.begin(), mask.inside.end());
  return SkyMap(mask.nside, Ordering::Ring, std::vector<std::vector<double>>{std::move(values)}, {"MASK"});
}

PixelSetRegion pixelSetFromMap(const SkyMap& map, const std::string& source) {
  const SkyMap ring = map.toOrdering(Ordering::Ring);
  auto inside = std::make_shared<std::vector<uint8_t>>(static_cast<size_t>(ring.npix()));
  const auto values = ring.field(0);
  for (size_t p = 0; p < inside->size(); ++p) (*inside)[p] = !isMasked(values[p]) && values[p] > 0.5 ? 1 : 0;
  return PixelSetRegion{source, ring.nside(), std::move(inside)};
}

}  // namespace sky
