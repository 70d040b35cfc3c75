#include <cmath>
#include <cstdio>
#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "io/HealpixFits.h"
#include "io/Json.h"
#include "sky/MapStatistics.h"

namespace cli {

int runInfo(const std::vector<std::string>& argv) {
  const Arguments args(argv, {}, {"json"});
  args.expectPositionals(1, "info MAP.fits [--json]");
  const std::string path = args.positional(0, "MAP.fits");
  sky::FitsReadReport report;
  const sky::SkyMap map = sky::readHealpixFits(path, &report);
  std::vector<sky::FieldStatistics> stats;
  for (int f = 0; f < map.fieldCount(); ++f) stats.push_back(sky::computeStatistics(map.field(f)));

  if (args.has("json")) {
    sky::JsonWriter json;
    json.beginObject()
        .value("file", path)
        .value("nside", map.nside())
        .value("npix", static_cast<long long>(map.npix()))
        .value("ordering", sky::orderingName(map.ordering()))
        .value("coordsys", report.coordinateSystem)
        .value("unit", map.unit())
        .value("stored_as", report.storedAsFloat32 ? "float32" : "float64");
    json.beginArray("fields");
    for (int f = 0; f < map.fieldCount(); ++f) {
      json.beginObject()
          .value("name", map.fieldName(f))
          .value("role", map.fieldRole(f))
          .value("unseen_fraction", stats[f].maskedFraction)
          .value("min", stats[f].min)
          .value("max", stats[f].max)
          .value("mean", stats[f].mean)
          .value("std", stats[f].std)
          .endObject();
    }
    json.endArray()
        .value("partial_sky_pixels", report.partialSkyPixels)
        .strings("warnings", report.warnings)
        .endObject();
    std::cout << json.text() << "\n";
    return 0;
  }
  for (const auto& w : report.warnings) std::cerr << "warning: " << w << "\n";
  std::printf("file:     %s\nnside:    %d (npix %lld, %.3f arcmin pixels)\nordering: %s\n", path.c_str(), map.nside(),
              static_cast<long long>(map.npix()),
              std::sqrt(4 * 3.14159265358979323846 / map.npix()) * 180 / 3.14159265358979323846 * 60,
              sky::orderingName(map.ordering()));
  if (!report.coordinateSystem.empty()) std::printf("coordsys: %s\n", report.coordinateSystem.c_str());
  std::printf("unit:     %s\nstored:   %s\nfields:   %d\n", map.unit().empty() ? "(none)" : map.unit().c_str(),
              report.storedAsFloat32 ? "float32" : "float64", map.fieldCount());
  std::printf("  %-16s %-5s %9s %14s %14s %14s %14s\n", "field", "as", "unseen", "min", "max", "mean", "std");
  for (int f = 0; f < map.fieldCount(); ++f) {
    std::printf("  %-16s %-5s %8.4f%% %14.6g %14.6g %14.6g %14.6g\n", map.fieldName(f).c_str(),
                map.fieldRole(f).c_str(), 100.0 * stats[f].maskedFraction, stats[f].min, stats[f].max, stats[f].mean,
                stats[f].std);
  }
  return 0;
}

}  // namespace cli
