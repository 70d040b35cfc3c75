// skyinterpret-cli sanity: does an explainer depend on the model? The cascading randomisation
// test (analysis/SanityChecks.h) re-initialises the model's layers from the output towards
// the input and re-explains after each step; the CSV gives the similarity to the original
// attribution per step (falling similarity = the method passes), then the random-logit row
// for a model with several outputs.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "Arguments.h"
#include "Commands.h"
#include "ExplainIo.h"
#include "ExplainerOptions.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "analysis/SanityChecks.h"
#include "batch/BatchInputs.h"
#include "explain/ExplainerRegistry.h"
#include "io/AtomicFile.h"
#include "model/ModelCard.h"
#include "model/ModelRandomisation.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

namespace {

std::string csvRow(const std::string& step, const std::string& layer, const sky::AttributionSimilarity& s) {
  std::ostringstream row;
  row << std::setprecision(10) << step << ",\"" << layer << "\"," << s.spearman << "," << s.spearmanAbs << "," << s.ssim
      << "," << s.topOverlap;
  return row.str();
}

}  // namespace

int runSanity(const std::vector<std::string>& argv) {
  std::set<std::string> valued = explainerValuedOptions(), flags = explainerFlagOptions();
  valued.insert({"model", "input", "method", "output", "top-fraction", "randomisation-seed", "threads"});
  flags.insert({"force", "no-preprocess"});
  const Arguments args(argv, valued, withModelFlags(flags));
  args.expectPositionals(0, "sanity --model M.pt --input MAP.fits|X.npy --method METHOD [method options] -o OUT.csv");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output"), modelPath = args.require("model"), input = args.require("input"),
                    method = args.require("method");
  sky::checkOutputPath(output, overwrite);
  const sky::ExplainerSettings settings = explainerSettings(args, method);
  const int target = args.getInt("target", 0, 0);
  const double topFraction = args.getDouble("top-fraction", 0.1);
  const auto seed = static_cast<uint64_t>(args.getInt("randomisation-seed", 0, 0));
  std::optional<sky::ModelCard> card;
  if (const auto cardPath = sky::modelCardPathFor(modelPath)) card = sky::readModelCard(*cardPath);
  sky::requireReadableFile(modelPath, "model file");
  const sky::ImageBatch inputs = loadInputs(input, card ? &*card : nullptr, !args.has("no-preprocess"));
  const sky::ModelLoadOptions load = modelLoadOptions(args, inputs.shape);
  const std::vector<std::string> layers = sky::parameterisedLayers(modelPath);
  if (layers.empty()) throw SkyError(ErrorKind::InvalidArgument, modelPath + " has no layer with parameters");

  const sky::ImageLoader loader = [](const std::string& path) { return loadInputs(path, nullptr); };
  const sky::Image image = sky::imageAt(inputs, 0);
  const sky::ExplainTarget explain = [&](sky::Model& model, int k) {
    return sky::explainImage(method, model, image, settings, k, loader);
  };
  const auto model = sky::loadTorchScriptModel(modelPath, load);
  const sky::RandomisedModel models = [&](int k) { return sky::loadRandomisedModel(modelPath, k, seed, load); };
  sky::Progress progress = terminalProgress("sanity");
  const std::vector<sky::SanityStep> steps =
      sky::cascadingRandomisation(layers, *model, models, explain, target, topFraction, progress);
  const auto logit = sky::randomLogitTest(*model, explain, target, static_cast<unsigned>(seed), topFraction);

  std::ostringstream csv;
  csv << "step,layer,spearman,spearman_abs,ssim,top_overlap\n";
  for (const auto& s : steps) csv << csvRow(std::to_string(s.randomised), s.layer, s.similarity) << "\n";
  if (logit)
    csv << csvRow("random-logit", "output " + std::to_string(logit->other) + " against " + std::to_string(target),
                  logit->similarity)
        << "\n";
  sky::writeAtomically(output, overwrite, [&](const std::filesystem::path& temp) {
    std::ofstream f(temp);
    f << csv.str();
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "writing " + output + " failed");
  });
  std::cerr << "\nsanity: " << method << ", " << layers.size() << " layers randomised in turn from the output; "
            << "Spearman " << steps.front().similarity.spearman << " (unchanged) -> "
            << steps.back().similarity.spearman << " (all random)\n";
  if (!logit) std::cerr << "note: the model has one output; no random-logit test\n";
  return 0;
}

}  // namespace cli
