#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <set>

#include "Arguments.h"
#include "Commands.h"
#include "ExactGroups.h"
#include "ExplainIo.h"
#include "ExplainerOptions.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "SpherePartition.h"
#include "io/AtomicFile.h"
#include "sky/SkyMap.h"
#include "util/Error.h"

namespace cli {
using sky::ErrorKind;
using sky::SkyError;

sky::Attribution explainWithArguments(const Arguments& args, const std::string& method, sky::Model& model,
                                      const sky::ImageBatch& batch, sky::Progress& progress) {
  // Baseline files are model input already (no card, no preprocessing).
  const sky::ImageLoader loader = [](const std::string& path) { return loadInputs(path, nullptr); };
  return sky::runExplainer(method, model, batch, explainerSettings(args, method), progress, loader);
}

int runExplain(const std::vector<std::string>& argv) {
  std::set<std::string> valued = explainerValuedOptions(), flags = explainerFlagOptions();
  valued.insert({"model", "input", "method", "output", "healpix-out", "nside", "threads", "groups", "tree-nside"});
  flags.insert({"force", "no-preprocess"});
  const Arguments args(argv, valued, withModelFlags(flags));
  args.expectPositionals(0, "explain --model M.pt --input X.npy|MAP.fits --method METHOD -o ATTR.npy");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output"), modelPath = args.require("model"), input = args.require("input");
  std::string sidecar = output;
  sidecar = (sidecar.ends_with(".npy") ? sidecar.substr(0, sidecar.size() - 4) : sidecar) + ".json";
  const auto healpixOut = args.get("healpix-out");
  const std::string method = args.require("method");
  const bool bornOnSphere = method == "partition-healpix";
  const int nside = healpixOut && !bornOnSphere ? args.requireInt("nside") : 0;
  if (nside != 0 && !sky::isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument, "--nside " + std::to_string(nside) + " is not a power of two");
  }
  std::vector<std::filesystem::path> outputs = {output, sidecar};
  if (healpixOut) outputs.emplace_back(*healpixOut);
  sky::checkOutputPaths(outputs, overwrite);
  if (method == "exact") {  // Shapley values of feature groups, not of pixels
    if (healpixOut) throw SkyError(ErrorKind::Usage, "--method exact writes group values: no --healpix-out");
    explainExactGroups(args, modelPath, input, output, sidecar, overwrite);
    return 0;
  }
  if (bornOnSphere) {  // Owen values born on the sphere
    explainPartitionHealpix(args, modelPath, input, output, sidecar, healpixOut, overwrite);
    return 0;
  }
  if (args.has("tree-nside")) throw SkyError(ErrorKind::Usage, "--tree-nside goes with --method partition-healpix");
  if (args.has("groups")) throw SkyError(ErrorKind::Usage, "--groups goes with --method exact");
  explainerSettings(args, method);  // a wrong method or option stops here, before any work

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
