#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "sky/Cartview.h"
#include "util/Error.h"

namespace cli {

namespace {
std::vector<int> chooseFields(const sky::SkyMap& map, const std::optional<std::string>& list) {
  std::vector<int> fields;
  if (!list) return fields;  // empty = all
  for (const auto& name : splitList(*list)) {
    const int index = map.fieldIndex(name);
    if (index < 0) {
      std::string available;
      for (const auto& n : map.fieldNames()) available += (available.empty() ? "" : ", ") + n;
      throw sky::SkyError(sky::ErrorKind::InvalidArgument,
                          "field '" + name + "' is not in the map (it has " + available + ")");
    }
    fields.push_back(index);
  }
  return fields;
}
}  // namespace

int runProject(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"xsize", "fields", "fill", "output", "pixels-out"}, {"force"});
  args.expectPositionals(1, "project MAP.fits --xsize N [--fields T,Q,U] -o IMG.npy");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  const auto pixelsOut = args.get("pixels-out");
  const sky::CartviewGrid grid = sky::CartviewGrid::forWidth(args.requireInt("xsize"));
  // Fail on an unusable output before reading a possibly large map.
  std::vector<std::filesystem::path> outputs = {output};
  if (pixelsOut) outputs.emplace_back(*pixelsOut);
  sky::checkOutputPaths(outputs, overwrite);

  const sky::SkyMap map = sky::readHealpixFits(args.positional(0, "MAP.fits"), nullptr, nullptr, sky::Ordering::Ring);
  sky::Image image = sky::projectCartview(map, grid, chooseFields(map, args.get("fields")));
  size_t masked = 0;
  const bool fill = args.has("fill");
  const double fillValue = args.getDouble("fill", 0.0);
  for (double& v : image.data()) {
    if (sky::isMasked(v)) {
      ++masked;
      if (fill) v = fillValue;
    }
  }
  if (masked > 0) {
    std::cerr << "warning: " << masked << " image values fall on masked (UNSEEN/NaN) pixels; "
              << (fill ? "filled with " + std::to_string(fillValue) : "kept as they are (use --fill V to replace them)")
              << "\n";
  }
  const std::vector<size_t> shape = {static_cast<size_t>(image.channels()), static_cast<size_t>(image.height()),
                                     static_cast<size_t>(image.width())};
  sky::writeNpy(output, shape, std::span<const double>(image.data()), overwrite);
  if (pixelsOut) {
    const std::vector<int64_t> pix = sky::cartviewPixels(grid, map.nside());
    sky::writeNpy(*pixelsOut, {shape[1], shape[2]}, std::span<const int64_t>(pix), overwrite);
  }
  return 0;
}

}  // namespace cli
