// Reading explainer inputs and writing attribution outputs, shared by explain and batch.
#include "ExplainIo.h"

#include <fstream>
#include <iostream>

#include "batch/BatchInputs.h"
#include "io/HealpixFits.h"
#include "io/Json.h"
#include "io/Npy.h"
#include "model/ModelInput.h"
#include "model/Preprocess.h"
#include "sky/Reprojection.h"
#include "util/Error.h"
#include "util/Finite.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

// An image means the same to `explain` and `batch` as to `train` and `evaluate`.
sky::ImageBatch loadInputs(const std::string& path, const sky::ModelCard* card, bool preprocess, bool notes,
                           int* mapNside) {
  sky::ImageBatch batch;
  if (mapNside) *mapNside = 0;
  if (sky::isFitsPath(path)) {
    if (!card || !card->hasInputShape()) {
      throw SkyError(ErrorKind::InvalidArgument,
                     "explaining a FITS map needs a model card with input channels, height "
                     "and width (the cartview grid the model was trained on)");
    }
    const sky::SkyMap map = sky::readHealpixFits(path, nullptr, nullptr, sky::Ordering::Ring);
    if (mapNside) *mapNside = map.nside();
    sky::Image image = sky::projectForModel(map, *card, path);
    const long long masked = sky::applyPreprocessing(*card, image);
    if (masked > 0 && notes) std::cerr << "note: " << masked << " masked image values set to the card's fill value\n";
    return sky::batchOf(image);
  }
  sky::NpyArray a = sky::readNpy(path);
  if (a.shape.size() == 3) a.shape.insert(a.shape.begin(), 1);
  if (a.shape.size() != 4 || a.size() == 0) {
    throw SkyError(ErrorKind::InvalidData,
                   path + ": shape " + a.shapeText() + " is neither (C, H, W) nor (N, C, H, W)");
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
    if (notes)
      std::cerr << "note: applied the model card's " << sky::preprocessingName(card->preprocessing)
                << " preprocessing to " << path << " (--no-preprocess to feed it unchanged)\n";
  }
  batch.nchw.assign(a.values.begin(), a.values.end());
  return batch;
}

void writeSidecar(const std::string& path, const sky::Attribution& a, const std::string& model,
                  const std::string& modelForward, const std::string& input, sky::Overwrite overwrite) {
  sky::JsonWriter j;
  j.beginObject().value("method", a.method).value("version", SKY_VERSION).value("model", model);
  j.value("model_forward", modelForward).value("input", input);
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
  sky::writeJsonFile(path, j, overwrite);
}

void writeHealpix(const std::string& path, const sky::Attribution& a, int nside, sky::Overwrite overwrite) {
  std::vector<std::vector<double>> fields;
  std::vector<std::string> names;
  const size_t per = static_cast<size_t>(a.shape.size());
  for (int n = 0; n < a.images; ++n)
    for (int k = 0; k < a.targetsPerImage; ++k) {
      const auto first =
          a.values.begin() + static_cast<std::ptrdiff_t>((static_cast<size_t>(n) * a.targetsPerImage + k) * per);
      const sky::Image img(a.shape.channels, a.shape.height, a.shape.width,
                           std::vector<double>(first, first + static_cast<std::ptrdiff_t>(per)));
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

void writeAttributionNpy(const std::string& path, const sky::Attribution& a, sky::Overwrite overwrite) {
  const std::vector<size_t> shape = {static_cast<size_t>(a.images), static_cast<size_t>(a.targetsPerImage),
                                     static_cast<size_t>(a.shape.channels), static_cast<size_t>(a.shape.height),
                                     static_cast<size_t>(a.shape.width)};
  sky::requireFinite(std::span<const double>(a.values), "the " + a.method + " attribution", "; nothing was written");
  sky::writeNpy(path, shape, std::span<const double>(a.values), overwrite);
}

sky::Image readAttributionImage(const std::string& path, int target) {
  const sky::NpyArray a = sky::readNpy(path);
  size_t c = 0, h = 0, w = 0, offset = 0;
  if (a.shape.size() == 3) {
    c = a.shape[0], h = a.shape[1], w = a.shape[2];
  } else if (a.shape.size() == 5) {
    if (static_cast<size_t>(target) >= a.shape[1]) {
      throw sky::SkyError(
          sky::ErrorKind::InvalidArgument,
          path + " holds " + std::to_string(a.shape[1]) + " outputs; there is no --target " + std::to_string(target));
    }
    c = a.shape[2], h = a.shape[3], w = a.shape[4];
    offset = static_cast<size_t>(target) * c * h * w;
  } else {
    throw sky::SkyError(sky::ErrorKind::InvalidData,
                        path + ": shape " + a.shapeText() + " is neither (C, H, W) nor explain's (N, K, C, H, W)");
  }
  return sky::Image(static_cast<int>(c), static_cast<int>(h), static_cast<int>(w),
                    std::vector<double>(a.values.begin() + static_cast<std::ptrdiff_t>(offset),
                                        a.values.begin() + static_cast<std::ptrdiff_t>(offset + c * h * w)));
}

}  // namespace cli
