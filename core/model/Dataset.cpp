#include "model/Dataset.h"

#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "model/ModelInput.h"
#include "model/Preprocess.h"
#include "simulate/Manifest.h"
#include "sky/Cartview.h"
#include "util/Error.h"

namespace sky {
namespace {

Image loadOne(const std::filesystem::path& path, const ModelCard& card, const MapTransform& transform) {
  const std::string ext = path.extension().string();
  if (ext == ".npy") {
    if (transform) {
      throw SkyError(ErrorKind::InvalidData, path.string() +
                                                 " is an image; cutting scales or spots needs HEALPix "
                                                 "maps (simulate --format fits or both)");
    }
    NpyArray a = readNpy(path);
    if (a.shape.size() == 2) a.shape.insert(a.shape.begin(), 1);
    if (a.shape.size() != 3)
      throw SkyError(ErrorKind::InvalidData, path.string() + ": shape " + a.shapeText() + " is not (C, H, W)");
    return Image(static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]), static_cast<int>(a.shape[2]),
                 std::move(a.values));
  }
  if (!card.hasInputShape()) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "FITS datasets need the image grid (channels and width) of the model card");
  }
  const SkyMap map = readHealpixFits(path, nullptr, nullptr, Ordering::Ring);
  return projectForModel(transform ? transform(map) : map, card, path.string());
}

}  // namespace

LabelledImages loadDataset(const std::filesystem::path& directory, ModelCard& card, Progress& progress,
                           const MapTransform& transform) {
  const std::vector<ManifestEntry> entries = readManifest(directory / "manifest.csv");
  if (entries.empty()) throw SkyError(ErrorKind::InvalidData, (directory / "manifest.csv").string() + " lists no maps");
  LabelledImages out;
  for (size_t i = 0; i < entries.size(); ++i) {
    Image img = loadOne(directory / entries[i].file, card, transform);
    if (i == 0) {
      if (card.channels.empty()) {
        card.channels = img.channels() == 3 ? std::vector<std::string>{"T", "Q", "U"}
                                            : std::vector<std::string>(img.channels(), "T");
      }
      if (card.height == 0) card.height = img.height();
      if (card.width == 0) card.width = img.width();
      out.images.shape = {img.channels(), img.height(), img.width()};
    }
    const ImageShape shape{img.channels(), img.height(), img.width()};
    if (!(shape == out.images.shape) || shape.height != card.height || shape.width != card.width ||
        shape.channels != static_cast<int>(card.channels.size())) {
      throw SkyError(ErrorKind::InvalidData,
                     entries[i].file + " is " + shape.text() + " but the dataset/model expects " +
                         ImageShape{static_cast<int>(card.channels.size()), card.height, card.width}.text());
    }
    applyPreprocessing(card, img);
    out.images.nchw.insert(out.images.nchw.end(), img.data().begin(), img.data().end());
    out.labels.push_back(entries[i].label);
    out.files.push_back(entries[i].file);
    out.parameters.push_back(entries[i].parameters);
    progress.report(static_cast<long long>(i) + 1, static_cast<long long>(entries.size()), "loading");
  }
  out.images.count = static_cast<int>(entries.size());
  out.images.checkFinite("dataset");
  return out;
}

std::vector<double> parameterValues(const LabelledImages& data, const std::vector<std::string>& names) {
  std::vector<double> out;
  out.reserve(data.parameters.size() * names.size());
  for (size_t i = 0; i < data.parameters.size(); ++i)
    for (const std::string& name : names) {
      const auto it = data.parameters[i].find(name);
      if (it == data.parameters[i].end()) {
        std::string known;
        for (const auto& [key, value] : data.parameters[i]) known += (known.empty() ? "" : ", ") + key;
        throw SkyError(ErrorKind::InvalidData, "the manifest has no parameter '" + name + "' for " + data.files[i] +
                                                   " (it has: " + (known.empty() ? "none" : known) + ")");
      }
      out.push_back(it->second);
    }
  return out;
}

}  // namespace sky
