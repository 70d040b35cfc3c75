#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <set>

#include "Arguments.h"
#include "ModelOptions.h"
#include "Commands.h"
#include "io/AtomicFile.h"
#include "ExplainIo.h"
#include "Interrupt.h"
#include "explain/GradientExplainers.h"
#include "explain/Occlusion.h"
#include "explain/PartitionExplainer.h"
#include "sky/SkyMap.h"
#include "util/Error.h"

namespace cli {
namespace {

using sky::ErrorKind;
using sky::SkyError;

sky::ImageShape parseTriple(const std::string& name, const std::string& text) {
  int c = 0, h = 0, w = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%dx%dx%d%c", &c, &h, &w, &extra) != 3 || c < 1 || h < 1 || w < 1) {
    throw SkyError(ErrorKind::Usage, "--" + name + " expects CxHxW with positive sizes, e.g. 1x8x8");
  }
  return {c, h, w};
}

}  // namespace

void requireExplainerMethod(const std::string& method) {
  static const std::set<std::string> methods = {"partition", "saliency", "integrated-gradients", "gradient-shap", "smoothgrad",
                                                "occlusion"};
  if (!methods.count(method)) {
    throw SkyError(ErrorKind::Usage, "unknown --method '" + method +
                                         "' (partition, saliency, integrated-gradients, gradient-shap, smoothgrad, occlusion)");
  }
}

sky::Attribution explainWithArguments(const Arguments& args, const std::string& method, sky::Model& model,
                                      const sky::ImageBatch& batch, sky::Progress& progress) {
  // A batch is built in memory at once: 4096 images bound it (and the model splits large ones).
  const int batchSize = args.getInt("batch-size", 32, 1, 4096);
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
    o.samples = args.getInt("samples", 5, 1, 100000);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0, 0));
    o.stdev = args.getDouble("stdev", 0.0);
    const auto b = args.get("baselines");
    if (!b) throw SkyError(ErrorKind::Usage, "gradient-shap needs --baselines B.npy (one or more baseline images)");
    o.baselines = loadInputs(*b, nullptr);
    a = sky::explainGradientShap(model, batch, o, progress);
  } else if (method == "smoothgrad") {
    sky::NoiseTunnelOptions o;
    o.targets = targets;
    o.batchSize = batchSize;
    o.samples = args.getInt("samples", 5, 1, 100000);
    o.seed = static_cast<uint64_t>(args.getInt("seed", 0, 0));
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
    requireExplainerMethod(method);
  }
  return a;
}

int runExplain(const std::vector<std::string>& argv) {
  const Arguments args(argv,
                       {"model", "input", "method", "output", "max-evals", "batch-size", "masker", "target", "steps",
                        "integration", "samples", "seed", "stdev", "nt-type", "baselines", "window", "stride",
                        "baseline-value", "healpix-out", "nside", "threads"},
                       withModelFlags({"force", "no-abs", "no-preprocess"}));
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
  std::vector<std::filesystem::path> outputs = {output, sidecar};
  if (healpixOut) outputs.emplace_back(*healpixOut);
  sky::checkOutputPaths(outputs, overwrite);
  const std::string method = args.require("method");

  // The card (if any) decides how FITS maps become model input; .npy inputs are model input.
  std::optional<sky::ModelCard> card;
  if (const auto cardPath = sky::modelCardPathFor(modelPath)) card = sky::readModelCard(*cardPath);
  sky::requireReadableFile(modelPath, "model file");
  const sky::ImageBatch batch = loadInputs(input, card ? &*card : nullptr, !args.has("no-preprocess"));
  auto model = loadModel(modelPath, args, batch.shape);

  sky::Progress progress = terminalProgress(method);
  const sky::Attribution a = explainWithArguments(args, method, *model, batch, progress);
  if (isatty(2)) std::cerr << "\n";
  writeAttributionNpy(output, a, overwrite);
  writeSidecar(sidecar, a, modelPath, model->forwardPath(), input, overwrite);
  if (healpixOut) writeHealpix(*healpixOut, a, nside, overwrite);
  std::cerr << a.method << ": " << a.modelRowsEvaluated << " model rows in " << a.seconds << " s\n";
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
