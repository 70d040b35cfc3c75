#include "SpherePartition.h"

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "ExplainerOptions.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "batch/BatchInputs.h"
#include "explain/HealpixPartition.h"
#include "explain/Masker.h"
#include "io/HealpixFits.h"
#include "io/Json.h"
#include "io/Npy.h"
#include "model/ModelCard.h"
#include "util/Error.h"
#include "util/Finite.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

namespace {

// --masker masked (default: the card's fill, as a masked input pixel), zero or value:V (map units).
std::optional<double> absentValueOption(const Arguments& args) {
  const std::string text = args.get("masker").value_or("masked");
  if (text == "masked") return std::nullopt;
  const sky::MaskerSpec masker = sky::MaskerSpec::parse(text);
  if (masker.kind != sky::MaskerSpec::Kind::Value) {
    throw SkyError(ErrorKind::Usage,
                   "--method partition-healpix masks sky pixels: --masker masked, zero or value:V "
                   "(V in the map's units), not '" +
                       text + "'");
  }
  return masker.value;
}

void refuseImageOptions(const Arguments& args) {
  const std::set<std::string> own = {"max-evals", "batch-size", "target", "masker"};
  for (const auto& name : explainerValuedOptions())
    if (!own.count(name) && args.get(name))
      throw SkyError(ErrorKind::Usage, "--" + name + " is not an option of partition-healpix (see explain --help)");
  for (const auto& name : explainerFlagOptions())
    if (args.has(name))
      throw SkyError(ErrorKind::Usage, "--" + name + " is not an option of partition-healpix (see explain --help)");
}

void writeSphereSidecar(const std::string& path, const sky::SphereAttribution& a, const sky::HealpixPartitionOptions& o,
                        const std::string& masker, const std::string& model, const std::string& forward,
                        const std::string& input, sky::Overwrite overwrite) {
  sky::JsonWriter j;
  j.beginObject().value("method", "partition-healpix").value("version", SKY_VERSION).value("model", model);
  j.value("model_forward", forward).value("input", input);
  j.beginObject("parameters")
      .value("tree_nside", o.treeNside)
      .value("max_evals", o.maxEvals)
      .value("batch_size", o.batchSize)
      .value("masker", masker)
      .value("target", o.targets.text())
      .endObject();
  j.value("nside", a.nside).value("ordering", "RING");
  j.beginArray("shape").value({}, 1).value({}, static_cast<int>(a.targetIndex.size()));
  j.value({}, static_cast<long long>(12LL * a.nside * a.nside)).endArray();
  j.strings("output_names", a.outputNames);
  j.beginArray("target_index");
  for (const int t : a.targetIndex) j.value({}, t);
  j.endArray();
  j.numbers("base_values", a.baseValues).numbers("outputs", a.outputs);
  j.value("unsampled_pixels", a.unsampledPlayers);
  j.value("model_rows_evaluated", a.modelRowsEvaluated).value("seconds", a.seconds).endObject();
  sky::writeJsonFile(path, j, overwrite);
}

void writeSphereFits(const std::string& path, const sky::SphereAttribution& a, sky::Overwrite overwrite) {
  const size_t m = static_cast<size_t>(12LL * a.nside * a.nside);
  std::vector<std::vector<double>> fields;
  std::vector<std::string> names;
  for (size_t k = 0; k < a.targetIndex.size(); ++k) {
    const auto first = a.values.begin() + static_cast<std::ptrdiff_t>(k * m);
    fields.emplace_back(first, first + static_cast<std::ptrdiff_t>(m));
    names.push_back(("ATTR_" + a.outputNames[static_cast<size_t>(a.targetIndex[k])]).substr(0, 68));
  }
  sky::FitsWriteOptions options;
  options.overwrite = overwrite;
  options.extraComments = {"SkyInterpret partition-healpix Owen values on the NESTED tree, born at this nside"};
  sky::writeHealpixFits(sky::SkyMap(a.nside, sky::Ordering::Ring, std::move(fields), std::move(names)), path, options);
}

}  // namespace

void explainPartitionHealpix(const Arguments& args, const std::string& modelPath, const std::string& input,
                             const std::string& output, const std::string& sidecar,
                             const std::optional<std::string>& healpixOut, sky::Overwrite overwrite) {
  refuseImageOptions(args);
  if (args.get("nside")) {
    throw SkyError(ErrorKind::Usage, "partition-healpix values are born at --tree-nside: no --nside");
  }
  sky::HealpixPartitionOptions o;
  o.treeNside = args.requireInt("tree-nside");
  o.maxEvals = args.getInt("max-evals", 500);
  o.batchSize = args.getInt("batch-size", 32);
  if (o.batchSize < 1 || o.batchSize > 4096)
    throw SkyError(ErrorKind::InvalidArgument, "--batch-size must be 1 to 4096");
  o.targets = sky::TargetSelection::parse(args.get("target").value_or("all"));
  o.absentValue = absentValueOption(args);
  if (!sky::isFitsPath(input)) {
    throw SkyError(ErrorKind::Usage, "--method partition-healpix masks the HEALPix map: --input must be a FITS map");
  }
  std::optional<sky::ModelCard> card;
  if (const auto cardPath = sky::modelCardPathFor(modelPath)) card = sky::readModelCard(*cardPath);
  if (!card || !card->hasInputShape()) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "--method partition-healpix needs the model card (channels, height, width) beside the model");
  }
  sky::requireReadableFile(modelPath, "model file");
  const sky::SkyMap map = sky::readHealpixFits(input, nullptr, nullptr, sky::Ordering::Ring);
  auto model = loadModel(modelPath, args, {static_cast<int>(card->channels.size()), card->height, card->width});
  sky::Progress progress = terminalProgress("partition-healpix");
  const sky::SphereAttribution a = sky::explainPartitionHealpix(*model, map, *card, o, input, progress);
  if (isatty(2)) std::cerr << "\n";
  sky::requireFinite(std::span<const double>(a.values), "the partition-healpix values", "; nothing was written");
  const std::vector<size_t> shape = {1, a.targetIndex.size(), static_cast<size_t>(12LL * a.nside * a.nside)};
  sky::writeNpy(output, shape, std::span<const double>(a.values), overwrite);
  writeSphereSidecar(sidecar, a, o, args.get("masker").value_or("masked"), modelPath, model->forwardPath(), input,
                     overwrite);
  if (healpixOut) writeSphereFits(*healpixOut, a, overwrite);
  std::cerr << "partition-healpix: " << 12LL * a.nside * a.nside << " sky pixels at nside " << a.nside << ", "
            << a.modelRowsEvaluated << " model rows in " << a.seconds << " s\n";
  if (a.unsampledPlayers > 0)
    std::cerr << "note: " << a.unsampledPlayers << " of them fall between the image's pixels and get 0\n";
  reportModelForward(*model);
}

}  // namespace cli
