// skyinterpret-cli sensitivity: how far the model's output moves when one l-band or one sky
// region is perturbed with Gaussian noise, repeated with independent draws.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "Arguments.h"
#include "Commands.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "analysis/Sensitivity.h"
#include "io/AtomicFile.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "model/Model.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

int runSensitivity(const std::vector<std::string>& argv) {
  const Arguments args(argv,
                       {"model", "data", "output", "threads", "band-width", "regions", "amplitude", "repeats", "seed",
                        "target", "noise"},
                       withModelFlags({"force"}));
  args.expectPositionals(0,
                         "sensitivity --model M.pt --data DIR [--band-width W | --regions NSIDE] -o OUT.csv|OUT.fits");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  sky::checkOutputPath(output, overwrite);
  sky::SensitivityOptions o;
  if (args.has("regions")) {
    o.unit = sky::SensitivityUnit::Regions;
    o.regionNside = args.getInt("regions", 4);
    if (!output.ends_with(".fits"))
      throw SkyError(ErrorKind::Usage, "--regions writes an importance map: give -o OUT.fits");
  } else if (!output.ends_with(".csv")) {
    throw SkyError(ErrorKind::Usage, "band sensitivities are a spectrum: give -o OUT.csv");
  }
  o.bandWidth = args.getInt("band-width", 10);
  o.amplitude = args.getDouble("amplitude", 1.0);
  o.repeats = args.getInt("repeats", 10, 1, 100000);
  o.seed = static_cast<uint64_t>(args.getInt("seed", 1, 0));
  o.target = args.getInt("target", 0);
  const std::string noise = args.get("noise").value_or("fixed");
  if (noise == "cosmic-variance")
    o.level = sky::NoiseLevel::CosmicVariance;
  else if (noise != "fixed")
    throw SkyError(ErrorKind::Usage, "--noise is fixed or cosmic-variance");
  const std::string modelPath = args.require("model");
  sky::requireReadableFile(modelPath, "model file");
  const LabelledMaps data = loadLabelledMaps(args.require("data"));
  auto model = loadModel(modelPath, args);
  sky::Progress progress = terminalProgress("sensitivity");
  const sky::SensitivityResult r = sky::sensitivity(*model, data.maps, o, progress);
  if (o.unit == sky::SensitivityUnit::Regions) {
    sky::FitsWriteOptions fo;
    fo.overwrite = overwrite;
    fo.extraComments = {
        "mean |change of model output| when noise of rms " + std::to_string(o.amplitude) + " is added to the region",
        "repeats " + std::to_string(o.repeats) + ", seed " + std::to_string(o.seed)};
    sky::writeHealpixFits(sky::importanceMap(r), output, fo);
  } else {
    // lmin, lmax, importance, and the scatter of the per-repeat means.
    sky::CsvTable t;
    t.header = {"lmin", "lmax", "importance", "std_over_repeats"};
    t.columns.resize(4);
    for (size_t k = 0; k < r.importance.size(); ++k) {
      double var = 0;
      for (double c : r.repeats[k]) var += (c - r.importance[k]) * (c - r.importance[k]);
      const double std = r.repeats[k].size() > 1 ? std::sqrt(var / static_cast<double>(r.repeats[k].size() - 1)) : NAN;
      const double row[] = {static_cast<double>(r.lmin[k]), static_cast<double>(r.lmax[k]), r.importance[k], std};
      for (size_t c = 0; c < 4; ++c) t.columns[c].push_back(row[c]);
    }
    sky::writeCsv(output, t, overwrite);
  }
  std::fprintf(stderr, "\n%zu %s written to %s\n", r.importance.size(),
               o.unit == sky::SensitivityUnit::Bands ? "bands" : "regions", output.c_str());
  if (!r.complete) throw SkyError(ErrorKind::Cancelled, "interrupted: the units finished so far are in " + output);
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
