#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "sky/Reprojection.h"
#include "util/Error.h"
#include "util/ProcessMemory.h"

namespace cli {

int runReproject(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"nside", "output", "npy-out"}, {"force", "float32"});
  args.expectPositionals(1, "reproject IMG.npy --nside N -o MAP.fits");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  const auto npyOut = args.get("npy-out");
  const int nside = args.requireInt("nside");
  if (!sky::isValidNside(nside)) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument,
                        "--nside " + std::to_string(nside) + " is not a power of two between 1 and 2^29");
  }
  const auto mapBytes = [nside](size_t fields) {
    return 12.0 * nside * static_cast<double>(nside) * 8.0 * static_cast<double>(fields);
  };
  sky::requireMemory(mapBytes(1), "a HEALPix map of nside " + std::to_string(nside));
  std::vector<std::filesystem::path> outputs = {output};
  if (npyOut) outputs.emplace_back(*npyOut);
  sky::checkOutputPaths(outputs, overwrite);

  const std::string input = args.positional(0, "IMG.npy");
  sky::NpyArray array = sky::readNpy(input);
  if (array.shape.size() == 2) array.shape.insert(array.shape.begin(), 1);
  if (array.shape.size() != 3) {
    throw sky::SkyError(sky::ErrorKind::InvalidData,
                        input + ": shape " + array.shapeText() + " is neither (ny, nx) nor (C, ny, nx)");
  }
  sky::requireMemory(mapBytes(array.shape[0]), "a HEALPix map of nside " + std::to_string(nside) + " with " +
                                                   std::to_string(array.shape[0]) + " fields");
  const sky::Image image(static_cast<int>(array.shape[0]), static_cast<int>(array.shape[1]),
                         static_cast<int>(array.shape[2]), std::move(array.values));
  const sky::SkyMap map = sky::reprojectToHealpix(image, nside);
  size_t masked = 0;
  for (int f = 0; f < map.fieldCount(); ++f)
    for (double v : map.field(f)) masked += sky::isMasked(v) ? 1 : 0;
  if (masked > 0) {
    std::cerr << "warning: " << masked << " HEALPix values interpolate masked image pixels and are UNSEEN\n";
  }
  sky::FitsWriteOptions options;
  options.overwrite = overwrite;
  options.precision = args.has("float32") ? sky::FitsPrecision::Float32 : sky::FitsPrecision::Float64;
  options.extraComments = {"SkyInterpret: bilinear reprojection of " + input};
  sky::writeHealpixFits(map, output, options);
  if (npyOut) {
    std::vector<double> flat;
    flat.reserve(static_cast<size_t>(map.fieldCount()) * map.npix());
    for (int f = 0; f < map.fieldCount(); ++f) flat.insert(flat.end(), map.field(f).begin(), map.field(f).end());
    sky::writeNpy(*npyOut, {static_cast<size_t>(map.fieldCount()), static_cast<size_t>(map.npix())},
                  std::span<const double>(flat), overwrite);
  }
  return 0;
}

}  // namespace cli
