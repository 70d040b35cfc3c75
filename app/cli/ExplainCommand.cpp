#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "Interrupt.h"
#include "explain/GradientExplainers.h"
#include "explain/Occlusion.h"
#include "explain/PartitionExplainer.h"
#include "io/HealpixFits.h"
#include "io/Json.h"
#include "io/Npy.h"
#include "model/ModelInput.h"
#include "model/Preprocess.h"
#include "sky/Cartview.h"
#include "sky/Reprojection.h"
#include "util/Error.h"

namespace cli {
namespace {

using sky::ErrorKind;
using sky::SkyError;

// X.npy: (C, H, W) or (N, C, H, W) projected images; MAP.fits: projected on the card's grid.
// Both then get the card's preprocessing unless `preprocess` is false (inputs that already are
// model input), so an image means the same to `explain` as to `train` and `evaluate`.
sky::ImageBatch loadInputs(const std::string& path, const sky::ModelCard* card, bool preprocess = true) {
  const bool isFits = path.size() > 5 && (path.ends_with(".fits") || path.ends_with(".fit") || path.ends_with(".fits.gz"));
  sky::ImageBatch batch;
  if (isFits) {
    if (!card || !card->hasInputShape()) {
      throw SkyError(ErrorKind::InvalidArgument, "explaining a FITS map needs a model card with input channels, height "
                                                 "and width (the cartview grid the model was trained on)");
    }
    sky::Image image = sky::projectForModel(sky::readHealpixFits(path), *card, path);
    const long long masked = sky::applyPreprocessing(*card, image);
    if (masked > 0) std::cerr << "note: " << masked << " masked image values set to the card's fill value\n";
    batch.shape = {image.channels(), image.height(), image.width()};
    batch.count = 1;
    batch.nchw.assign(image.data().begin(), image.data().end());
    return batch;
  }
  sky::NpyArray a = sky::readNpy(path);
  if (a.shape.size() == 3) a.shape.insert(a.shape.begin(), 1);
  if (a.shape.size() != 4 || a.size() == 0) {
    throw SkyError(ErrorKind::InvalidData, path + ": shape " + a.shapeText() + " is neither (C, H, W) nor (N, C, H, W)");
  }
  batch.shape = {static_cast<int>(a.shape[1]), static_cast<int>(a.shape[2]), static_cast<int>(a.shape[3])};
  batch.count = static_cast<int>(a.shape[0]);
  if (card && preprocess && card->preprocessing != sky::Preprocessing::None) {
    const size_t per = static_cast<size_t>(batch.shape.size());
    for (int n = 0; n < batch.count; ++n) {
      sky::Image image(batch.shape.channels, batch.shape.height, batch.shape.width,
                       std::vector<double>(a.values.begin() + n * per, a.values.begin() + (n + 1) * per));
      sky::applyPreprocessing(*card, image);
      std::copy(image.data().begin(), image.data().end(), a.values.begin() + n * per);
    }
    std::cerr << "note: applied the model card's " << sky::preprocessingName(card->preprocessing)
              << " preprocessing to " << path << " (--no-preprocess to feed it unchanged)\n";
  }
  batch.nchw.assign(a.values.begin(), a.values.end());
  return batch;
}

sky::ImageShape parseTriple(const std::string& name, const std::string& text) {
  int c = 0, h = 0, w = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%dx%dx%d%c", &c, &h, &w, &extra) != 3 || c < 1 || h < 1 || w < 1) {
    throw SkyError(ErrorKind::Usage, "--" + name + " expects CxHxW with positive sizes, e.g. 1x8x8");
  }
  return {c, h, w};
}

void writeSidecar(const std::string& path, const sky::Attribution& a, const std::string& model, const std::string& input,
                  sky::Overwrite overwrite) {
  sky::JsonWriter j;
  j.beginObject().value("method", a.method).value("version", SKY_VERSION).value("model", model).value("input", input);
  j.beginObject("parameters");
  for (const auto& [key, value] : a.parameters) j.value(key, value);
  j.endObject();
  j.strings("output_names", a.outputNames);
  j.beginArray("shape").value({}, a.images).value({}, a.targetsPerImage).value({}, a.shape.channels);
  j.value({}, a.shape.height).value({}, a.shape.width).endArray();
  const auto rows = [&](const std::string& key, const std::vector<double>& v) {
    j.beginArray(key);
    for (int n = 0; n < a.images; ++n) {
      j.beginArray();
      for (int k = 0; k < a.targetsPerImage && !v.empty(); ++k) j.value({}, v[n * a.targetsPerImage + k]);
      j.endArray();
    }
    j.endArray();
  };
  std::vector<double> targets(a.targetIndex.begin(), a.targetIndex.end());
  rows("targets", targets);
  rows("base_values", a.baseValues);
  rows("outputs", a.outputs);
  if (!a.convergenceDelta.empty()) rows("convergence_delta", a.convergenceDelta);
  j.value("model_rows_evaluated", a.modelRowsEvaluated).value("seconds", a.seconds).endObject();
  sky::writeAtomically(path, overwrite, [&](const std::filesystem::path& temp) {
    std::ofstream f(temp);
    f << j.text() << "\n";
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "writing " + path + " failed");
  });
}

// Every (image, target, channel) attribution image becomes one field of a HEALPix map.
void writeHealpix(const std::string& path, const sky::Attribution& a, int nside, sky::Overwrite overwrite) {
  std::vector<std::vector<double>> fields;
  std::vector<std::string> names;
  const size_t per = static_cast<size_t>(a.shape.size());
  for (int n = 0; n < a.images; ++n)
    for (int k = 0; k < a.targetsPerImage; ++k) {
      const auto first = a.values.begin() + static_cast<std::ptrdiff_t>((static_cast<size_t>(n) * a.targetsPerImage + k) * per);
      const sky::Image img(a.shape.channels, a.shape.height, a.shape.width, std::vector<double>(first, first + static_cast<std::ptrdiff_t>(per)));
      const sky::SkyMap map = sky::reprojectToHealpix(img, nside);
      for (int c = 0; c < map.fieldCount(); ++c) {
        fields.emplace_back(map.field(c).begin(), map.field(c).end());
        std::string name = "ATTR";
        if (a.images > 1) name += "_N" + std::to_string(n);
        name += "_" + a.outputNames[a.targetIndex[n * a.targetsPerImage + k]];
        if (a.shape.channels > 1) name += "_C" + std::to_string(c);
        names.push_back(name.substr(0, 68));
      }
    }
  sky::FitsWriteOptions options;
  options.overwrite = overwrite;
  options.extraComments = {"SkyInterpret " + a.method + " attributions reprojected from the cartview grid"};
  sky::writeHealpixFits(sky::SkyMap(nside, sky::Ordering::Ring, std::move(fields), std::move(names)), path, options);
}

}  // namespace

sky::Attribution explainWithArguments(const Arguments& args, const std::string& method, sky::Model& model,
                                      const sky::ImageBatch& batch, sky::Progress& progress) {
  const int batchSize = args.getInt("batch-size", 32);
  const auto targets = sky::TargetSelection::parse(args.get("target").value_or(method == "partition" ? "all" : "0"));
  sky::Attribution a;
  if (method == "partition") {
    sky::PartitionOptions o;
    o.maxEvals = args.getInt("max-evals", 500);
    o.batchSize = batchSize;
    o.masker = sky::MaskerSpec::parse(args.get("masker").value_or("zero"));
    o.targets = targets;
    a = sky::explainPartition(model, batch, o, progress);
  } else if (method == "saliency") {
    sky::SaliencyOptions o;
    o.targets = targets;
    o.batchSize = batchSize;
    o.absolute = !args.has("no-abs");
    a = sky::explainSaliency(model, batch, o, progress);
  } else if (method == "integrated-gradients") {
    sky::IntegratedGradientsOptions o;
    o.targets = targets;
    o.batchSize = batchSize;
    o.steps = args.getInt("steps", 50);
    o.rule = sky::parseQuadratureRule(args.get("integration").value_or("gausslegendre"));
    if (const auto b = args.get("baselines")) o.baselines = loadInputs(*b, nullptr);
    a = sky::explainIntegratedGradients(model, batch, o, progress);
  } else if (method == "gradient-shap") {
    sky::GradientShapOptions o;
    o.targets = targets;
    o.batchSize = batchSize;
    o.samples = args.getInt("samples", 5);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    o.stdev = args.getDouble("stdev", 0.0);
    const auto b = args.get("baselines");
    if (!b) throw SkyError(ErrorKind::Usage, "gradient-shap needs --baselines B.npy (one or more baseline images)");
    o.baselines = loadInputs(*b, nullptr);
    a = sky::explainGradientShap(model, batch, o, progress);
  } else if (method == "smoothgrad") {
    sky::NoiseTunnelOptions o;
    o.targets = targets;
    o.batchSize = batchSize;
    o.samples = args.getInt("samples", 5);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0));
    o.stdev = args.getDouble("stdev", 1.0);
    o.kind = sky::parseNoiseTunnelKind(args.get("nt-type").value_or("smoothgrad"));
    o.absolute = !args.has("no-abs");
    a = sky::explainNoiseTunnel(model, batch, o, progress);
  } else if (method == "occlusion") {
    sky::OcclusionOptions o;
    o.targets = targets;
    o.batchSize = batchSize;
    o.window = parseTriple("window", args.get("window").value_or("1x8x8"));
    o.strides = parseTriple("stride", args.get("stride").value_or("1x1x1"));
    o.baseline = args.getDouble("baseline-value", 0.0);
    a = sky::explainOcclusion(model, batch, o, progress);
  } else {
    throw SkyError(ErrorKind::Usage, "unknown --method '" + method +
                                         "' (partition, saliency, integrated-gradients, gradient-shap, smoothgrad, occlusion)");
  }
  return a;
}

int runExplain(const std::vector<std::string>& argv) {
  const Arguments args(argv,
                       {"model", "input", "method", "output", "max-evals", "batch-size", "masker", "target", "steps",
                        "integration", "samples", "seed", "stdev", "nt-type", "baselines", "window", "stride",
                        "baseline-value", "healpix-out", "nside", "threads"},
                       {"force", "no-abs", "no-preprocess"});
  args.expectPositionals(0, "explain --model M.pt --input X.npy|MAP.fits --method METHOD -o ATTR.npy");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output"), modelPath = args.require("model"), input = args.require("input");
  std::string sidecar = output;
  sidecar = (sidecar.ends_with(".npy") ? sidecar.substr(0, sidecar.size() - 4) : sidecar) + ".json";
  const auto healpixOut = args.get("healpix-out");
  const int nside = healpixOut ? args.requireInt("nside") : 0;
  if (healpixOut && !sky::isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument, "--nside " + std::to_string(nside) + " is not a power of two");
  }
  sky::checkOutputPath(output, overwrite);
  sky::checkOutputPath(sidecar, overwrite);
  if (healpixOut) sky::checkOutputPath(*healpixOut, overwrite);
  const std::string method = args.require("method");

  // The card (if any) decides how FITS maps become model input; .npy inputs are model input.
  std::optional<sky::ModelCard> card;
  if (const auto cardPath = sky::modelCardPathFor(modelPath)) card = sky::readModelCard(*cardPath);
  if (!std::filesystem::exists(modelPath)) throw SkyError(ErrorKind::FileNotFound, "no such model file: " + modelPath);
  const sky::ImageBatch batch = loadInputs(input, card ? &*card : nullptr, !args.has("no-preprocess"));
  sky::ModelLoadOptions loadOptions;
  loadOptions.threads = args.getInt("threads", 0);
  loadOptions.inputShape = batch.shape;
  auto model = sky::loadTorchScriptModel(modelPath, loadOptions);

  sky::Progress progress = terminalProgress(method);
  const sky::Attribution a = explainWithArguments(args, method, *model, batch, progress);
  if (isatty(2)) std::cerr << "\n";
  const std::vector<size_t> shape = {static_cast<size_t>(a.images), static_cast<size_t>(a.targetsPerImage),
                                     static_cast<size_t>(a.shape.channels), static_cast<size_t>(a.shape.height),
                                     static_cast<size_t>(a.shape.width)};
  sky::writeNpy(output, shape, std::span<const double>(a.values), overwrite);
  writeSidecar(sidecar, a, modelPath, input, overwrite);
  if (healpixOut) writeHealpix(*healpixOut, a, nside, overwrite);
  std::cerr << a.method << ": " << a.modelRowsEvaluated << " model rows in " << a.seconds << " s\n";
  return 0;
}

}  // namespace cli
