#include "ExactGroups.h"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "ExplainIo.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "batch/BatchInputs.h"
#include "explain/GroupShapley.h"
#include "explain/Masker.h"
#include "io/HealpixFits.h"
#include "io/Json.h"
#include "io/Npy.h"
#include "model/ModelCard.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

namespace {

void writeGroupSidecar(const std::string& path, const std::vector<sky::GroupShapley>& results,
                       const sky::GroupSpec& spec, const std::string& model, const std::string& forward,
                       const std::string& input, const std::vector<std::string>& outputNames, double seconds,
                       sky::Overwrite overwrite) {
  sky::JsonWriter j;
  j.beginObject().value("method", "exact").value("version", SKY_VERSION).value("model", model);
  j.value("model_forward", forward).value("input", input).value("groups_spec", spec.text());
  j.strings("output_names", outputNames);
  j.beginArray("shape").value({}, static_cast<int>(results.size())).value({}, results.front().outputs);
  j.value({}, static_cast<int>(results.front().groups.size())).endArray();
  j.beginArray("groups");
  for (const auto& g : results.front().groups) {
    j.beginObject().value("name", g.name);
    if (g.lmin >= 0) j.value("lmin", g.lmin).value("lmax", g.lmax);
    if (!g.pixels.empty()) {
      j.beginArray("pixels");
      for (int64_t p : g.pixels) j.value({}, static_cast<long long>(p));
      j.endArray();
    }
    j.endObject();
  }
  j.endArray();
  const auto rows = [&](const std::string& key, auto member) {
    j.beginArray(key);
    for (const auto& r : results) j.numbers({}, r.*member);
    j.endArray();
  };
  rows("base_values", &sky::GroupShapley::empty);  // every group absent
  rows("full_values", &sky::GroupShapley::full);   // every group present
  long long evaluated = 0;
  for (const auto& r : results) evaluated += r.rowsEvaluated;
  j.value("model_rows_evaluated", evaluated).value("seconds", seconds).endObject();
  sky::writeJsonFile(path, j, overwrite);
}

}  // namespace

void explainExactGroups(const Arguments& args, const std::string& modelPath, const std::string& input,
                        const std::string& output, const std::string& sidecar, sky::Overwrite overwrite) {
  const auto start = std::chrono::steady_clock::now();
  const sky::GroupSpec spec = sky::GroupSpec::parse(args.require("groups"));
  const int batch = args.getInt("batch-size", 32);
  if (batch < 1 || batch > 4096) throw SkyError(ErrorKind::InvalidArgument, "--batch-size must be 1 to 4096");
  std::optional<sky::ModelCard> card;
  if (const auto cardPath = sky::modelCardPathFor(modelPath)) card = sky::readModelCard(*cardPath);
  sky::requireReadableFile(modelPath, "model file");
  sky::Progress progress = terminalProgress("exact");
  std::vector<sky::GroupShapley> results;
  std::unique_ptr<sky::Model> model;
  if (spec.kind == sky::GroupSpec::Kind::Channels) {
    const sky::MaskerSpec masker = sky::MaskerSpec::parse(args.get("masker").value_or("zero"));
    if (masker.kind != sky::MaskerSpec::Kind::Value)
      throw SkyError(ErrorKind::Usage, "--groups channels takes --masker zero or value:V (the absent channels' value)");
    const sky::ImageBatch images = loadInputs(input, card ? &*card : nullptr, !args.has("no-preprocess"));
    model = loadModel(modelPath, args, images.shape);
    for (int n = 0; n < images.count; ++n) {
      sky::ImageBatch one{images.shape, 1, std::vector<float>(images.image(n), images.image(n) + images.shape.size())};
      results.push_back(sky::channelShapley(*model, one, masker.value, batch, progress));
    }
  } else {
    if (!sky::isFitsPath(input)) {
      throw SkyError(ErrorKind::Usage, "--groups " + spec.text() + " needs a HEALPix FITS map as --input");
    }
    if (!card || !card->hasInputShape()) {
      throw SkyError(ErrorKind::InvalidArgument,
                     "--groups " + spec.text() + " needs the model card (channels, height, width) beside the model");
    }
    const sky::SkyMap map = sky::readHealpixFits(input, nullptr, nullptr, sky::Ordering::Ring);
    model = loadModel(modelPath, args, {static_cast<int>(card->channels.size()), card->height, card->width});
    results.push_back(sky::mapGroupShapley(*model, map, *card, spec, input, batch, progress));
  }
  if (isatty(2)) std::cerr << "\n";
  const size_t k = static_cast<size_t>(results.front().outputs), g = results.front().groups.size();
  std::vector<double> values;
  for (const auto& r : results) values.insert(values.end(), r.values.begin(), r.values.end());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sky::writeNpy(output, {results.size(), k, g}, std::span<const double>(values), overwrite);
  writeGroupSidecar(sidecar, results, spec, modelPath, model->forwardPath(), input, model->outputNames(), seconds,
                    overwrite);
  std::cerr << "exact: " << g << " groups, " << (size_t{1} << g) * results.size() << " model rows in " << seconds
            << " s\n";
  reportModelForward(*model);
}

}  // namespace cli
