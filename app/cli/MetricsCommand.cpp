// skyinterpret-cli metrics: how far one attribution can be trusted (analysis/TrustMetrics.h):
// infidelity and sensitivity-max as Captum defines them, ROAD, and Quantus's sparseness and
// complexity, written as one JSON file. A HEALPix attribution map gets the two that are
// defined on its pixels alone (sparseness and complexity over the unmasked pixels).
#include <filesystem>
#include <fstream>
#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "ExplainIo.h"
#include "ExplainerOptions.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "analysis/TrustMetrics.h"
#include "batch/BatchInputs.h"
#include "explain/ExplainerRegistry.h"
#include "io/HealpixFits.h"
#include "io/Json.h"
#include "io/JsonValue.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

namespace {

// The sidecar `explain` wrote beside ATTR.npy, or null.
sky::JsonValue sidecarOf(const std::string& attribution) {
  std::filesystem::path json = attribution;
  json.replace_extension(".json");
  return std::filesystem::exists(json) ? sky::JsonValue::parseFile(json) : sky::JsonValue();
}

// The slice of explain's K targets that explains model output `target` (the sidecar's
// target list of image 0; without a sidecar, slice `target`).
int sliceOf(const sky::JsonValue& sidecar, int target) {
  if (sidecar.isNull() || !sidecar.has("targets")) return target;
  const auto& targets = sidecar["targets"].array("targets")[0].array("targets");
  for (size_t k = 0; k < targets.size(); ++k)
    if (static_cast<int>(targets[k].number("target")) == target) return static_cast<int>(k);
  throw SkyError(ErrorKind::InvalidArgument, "the attribution explains no output " + std::to_string(target) +
                                                 " (see its sidecar's targets); give --target");
}

// The first input as `explain` made it model input: a FITS map projected and preprocessed as
// the card says, an .npy preprocessed too unless --no-preprocess (as explain's option).
sky::Image firstInputImage(const std::string& input, const sky::Model& model, bool preprocess) {
  return sky::imageAt(loadInputs(input, &model.card(), preprocess, false), 0);
}

std::vector<double> parseFractions(const std::string& text) {
  std::vector<double> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    char* end = nullptr;
    const double v = std::strtod(part.c_str(), &end);
    if (part.empty() || *end != '\0')
      throw SkyError(ErrorKind::Usage, "--road-fractions: '" + part + "' is not a number");
    out.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

void writeRoad(sky::JsonWriter& j, const sky::RoadCurves& road, const sky::TrustMetricOptions& o) {
  j.beginObject("road")
      .numbers("fraction", road.fraction)
      .numbers("morf", road.morf)
      .numbers("lerf", road.lerf)
      .value("morf_area", road.morfArea)
      .value("lerf_area", road.lerfArea)
      .value("score", road.score)
      .value("noise_std", o.roadNoise);
  if (road.nside > 0) j.value("nside", road.nside);
  j.endObject();
}

// A HEALPix attribution map: sparseness and complexity over its unmasked pixels, and ROAD on
// HEALPix pixels when the input is a map of the same nside.
void healpixMetrics(const Arguments& args, const std::string& input, const std::string& attribution,
                    const sky::TrustMetricOptions& o, const std::string& output, sky::Overwrite overwrite) {
  const sky::SkyMap map = sky::readHealpixFits(attribution, nullptr, nullptr, sky::Ordering::Ring);
  std::vector<double> values;
  for (double v : map.field(0))
    if (!sky::isMasked(v)) values.push_back(v);
  if (values.empty()) throw SkyError(ErrorKind::InvalidData, attribution + " has no unmasked pixel");
  if (!sky::isFitsPath(input))
    throw SkyError(ErrorKind::Usage, "a HEALPix attribution needs the HEALPix map it explains as --input");
  auto model = loadModel(args.require("model"), args);
  sky::Progress progress = terminalProgress("metrics");
  const sky::RoadCurves road =
      sky::mapRoad(*model, sky::readHealpixFits(input, nullptr, nullptr, sky::Ordering::Ring), map, o, progress);
  const double gini = sky::giniSparseness(values), entropy = sky::entropyComplexity(values);
  sky::JsonWriter j;
  j.beginObject().value("attribution", attribution).value("input", input).value("pixels", "healpix");
  j.value("nside", map.nside()).value("target", o.target);
  writeRoad(j, road, o);
  j.value("sparseness_gini", gini).value("complexity_entropy", entropy);
  j.value("note",
          "infidelity and sensitivity-max need an image attribution (explain's ATTR.npy): a reprojected "
          "map holds densities, not each pixel's share of the output");
  j.endObject();
  sky::writeJsonFile(output, j, overwrite);
  std::cout << "ROAD score " << road.score << " (LeRF " << road.lerfArea << " - MoRF " << road.morfArea
            << "), sparseness (Gini) " << gini << ", complexity (entropy) " << entropy << " over " << values.size()
            << " HEALPix pixels\n";
}

}  // namespace

int runMetrics(const std::vector<std::string>& argv) {
  std::set<std::string> valued = explainerValuedOptions(), flags = explainerFlagOptions();
  valued.insert({"model", "input", "attribution", "output", "method", "perturbations", "noise", "radius", "metric-seed",
                 "road-fractions", "road-noise", "multiply-by-inputs", "baseline", "threads"});
  flags.insert({"force", "no-preprocess"});
  const Arguments args(argv, valued, withModelFlags(flags));
  args.expectPositionals(0, "metrics --model M.pt --input MAP.fits|X.npy --attribution ATTR.npy|A.fits -o OUT.json");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output"), modelPath = args.require("model"), input = args.require("input"),
                    attribution = args.require("attribution");
  sky::checkOutputPath(output, overwrite);
  for (const auto& path : {modelPath, input, attribution}) sky::requireReadableFile(path);
  const sky::JsonValue sidecar = sidecarOf(attribution);
  const std::string method =
      args.get("method").value_or(sidecar.has("method") ? sidecar["method"].string("method") : std::string());
  sky::TrustMetricOptions o;
  o.target = args.getInt("target", 0, 0);
  o.perturbations = args.getInt("perturbations", 10, 1, 100000);
  o.infidelityNoise = args.getDouble("noise", 0.003);
  o.sensitivityRadius = args.getDouble("radius", 0.02);
  o.seed = static_cast<uint32_t>(args.getInt("metric-seed", 0, 0));
  o.roadNoise = args.getDouble("road-noise", 0.01);
  o.baseline = args.getDouble("baseline", 0.0);
  if (const auto f = args.get("road-fractions")) o.roadFractions = parseFractions(*f);
  const std::string multiply = args.get("multiply-by-inputs").value_or("auto");
  if (multiply != "auto" && multiply != "yes" && multiply != "no")
    throw SkyError(ErrorKind::Usage, "--multiply-by-inputs takes auto, yes or no");
  o.multiplyByInputs = multiply == "auto" ? sky::multipliesByInputs(method) : multiply == "yes";
  const sky::ExplainerSettings settings = method.empty() ? sky::ExplainerSettings{} : explainerSettings(args, method);
  if (sky::isFitsPath(attribution)) {
    healpixMetrics(args, input, attribution, o, output, overwrite);
    return 0;
  }

  auto model = loadModel(modelPath, args);
  const sky::Image x = firstInputImage(input, *model, !args.has("no-preprocess"));
  const sky::Image a = readAttributionImage(attribution, sliceOf(sidecar, o.target));
  sky::Progress progress = terminalProgress("metrics");
  const double infidelity = sky::infidelity(*model, x, a, o);
  const sky::RoadCurves road = sky::road(*model, x, a, o, progress);
  const double gini = sky::giniSparseness(a.data()), entropy = sky::entropyComplexity(a.data());
  double sensitivity = -1;
  if (!method.empty()) {
    const sky::ImageLoader loader = [](const std::string& path) { return loadInputs(path, nullptr); };
    const sky::Reexplain explain = [&](const sky::Image& in) {
      return sky::explainImage(method, *model, in, settings, o.target, loader);
    };
    sensitivity = sky::sensitivityMax(explain, x, o, progress);
  }
  sky::JsonWriter j;
  j.beginObject().value("model", modelPath).value("input", input).value("attribution", attribution);
  j.value("method", method).value("target", o.target).value("pixels", "image");
  j.beginObject("infidelity")
      .value("value", infidelity)
      .value("perturbations", o.perturbations)
      .value("noise_std", o.infidelityNoise)
      .value("multiply_by_inputs", o.multiplyByInputs)
      .value("baseline", o.baseline)
      .endObject();
  if (sensitivity >= 0) {
    j.beginObject("sensitivity_max")
        .value("value", sensitivity)
        .value("perturbations", o.perturbations)
        .value("radius", o.sensitivityRadius)
        .endObject();
  } else {
    j.value("sensitivity_max_note", "not computed: give --method (the attribution has no sidecar naming it)");
  }
  writeRoad(j, road, o);
  j.value("sparseness_gini", gini).value("complexity_entropy", entropy).value("seed", static_cast<long long>(o.seed));
  j.endObject();
  sky::writeJsonFile(output, j, overwrite);
  std::cout << "infidelity " << infidelity
            << (sensitivity >= 0 ? ", sensitivity-max " + std::to_string(sensitivity) : "") << ", ROAD score "
            << road.score << " (LeRF " << road.lerfArea << " - MoRF " << road.morfArea << "), sparseness " << gini
            << ", complexity " << entropy << "\n";
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
