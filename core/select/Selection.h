#pragma once
// A selection of the sky as a value (glue's subset model): regions combined step by step with
// replace / add / intersect / subtract / toggle, plus an optional multipole range. Views only
// turn a mouse gesture into a region; the selection turns itself into a pixel mask for any
// nside, so one selection is shared by maps of different resolutions.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sky/Mollweide.h"
#include "sky/SkyMap.h"

namespace sky {

// Pixels whose centres lie within `radius` (radians) of `centre` (healpy query_disc, inclusive=False).
struct DiscRegion {
  SkyDirection centre;
  double radius = 0.0;
};

// A polygon drawn on a projection plane; a pixel is inside when its centre, projected the same
// way, is inside (even-odd rule). Mollweide: healpy's plane (x in [-2, 2], longitude growing to
// the left). LonLat: (longitude in (-180, 180], latitude) in degrees, as a cartview image.
enum class ProjectionPlane { Mollweide, LonLat };
struct PolygonRegion {
  ProjectionPlane plane = ProjectionPlane::Mollweide;
  std::vector<PlanePoint> vertices;
};

// Pixels of `map` with lo <= value <= hi (|value| when absolute); masked pixels never.
struct ValueRangeRegion {
  std::string layer;  // the name it was brushed on (for display and sessions)
  std::shared_ptr<const SkyMap> map;
  double lo = 0.0, hi = 0.0;
  bool absolute = false;
};

// An explicit pixel set (a loaded HEALPix mask), RING order.
struct PixelSetRegion {
  std::string source;
  int nside = 0;
  std::shared_ptr<const std::vector<uint8_t>> inside;
};

struct AllSkyRegion {};

using Region = std::variant<DiscRegion, PolygonRegion, ValueRangeRegion, PixelSetRegion, AllSkyRegion>;

enum class SelectionMode { Replace, Add, Intersect, Subtract, Toggle };
const char* selectionModeName(SelectionMode mode);
SelectionMode parseSelectionMode(const std::string& name);  // throws SkyError

struct SelectionStep {
  SelectionMode mode = SelectionMode::Replace;
  Region region;
};

struct MultipoleRange {
  int lmin = 0, lmax = 0;
};

// One flag per RING pixel (1 = selected).
struct SkyMask {
  int nside = 0;
  std::vector<uint8_t> inside;
  int64_t count() const;
};

class Selection {
 public:
  // The selection after a gesture: Replace starts over, the other modes combine with the regions
  // so far (the first region always starts the selection).
  Selection combined(SelectionMode mode, Region region) const;
  Selection inverted() const { return combined(SelectionMode::Toggle, AllSkyRegion{}); }
  bool hasRegion() const { return !steps_.empty(); }
  const std::vector<SelectionStep>& steps() const { return steps_; }
  SkyMask maskFor(int nside) const;  // all zero without a region

  std::optional<MultipoleRange> multipoles;  // an l-range brushed on a spectrum
  std::string name;

 private:
  std::vector<SelectionStep> steps_;
};

// The region holding the largest `fraction` of |values| (or of values), e.g. top 5% of |SHAP|.
ValueRangeRegion topFractionRegion(std::shared_ptr<const SkyMap> map, const std::string& layer, double fraction,
                                   bool absolute);

// One region's pixels at nside (exposed for tests).
SkyMask regionMask(const Region& region, int nside);

// HEALPix mask files: 1 inside, 0 outside (healpy's convention for masks).
SkyMap maskToMap(const SkyMask& mask);
PixelSetRegion pixelSetFromMap(const SkyMap& map, const std::string& source);  // > 0.5 and not masked

}  // namespace sky
