#include "model/ModelCard.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "io/AtomicFile.h"
#include "io/Json.h"
#include "io/JsonValue.h"
#include "util/Error.h"

namespace sky {

const char* preprocessingName(Preprocessing p) {
  switch (p) {
    case Preprocessing::PerMapZScore:
      return "per-map-zscore";
    case Preprocessing::GlobalZScore:
      return "global-zscore";
    default:
      return "none";
  }
}

namespace {

constexpr const char* kCardFormat = "skyinterpret-model-card/";
constexpr int kCardVersion = 1;

void requireKey(const JsonValue& object, const char* key, const std::string& where) {
  if (!object.has(key)) throw SkyError(ErrorKind::InvalidFormat, "missing required key " + where + key);
}

// "skyinterpret-model-card/1"; a newer version may mean things this build would misread.
void checkFormat(const JsonValue& doc) {
  requireKey(doc, "format", "");
  const std::string format = doc["format"].string("format");
  const std::string prefix = kCardFormat;
  int version = 0;
  if (format.rfind(prefix, 0) == 0) {
    try {
      size_t used = 0;
      version = std::stoi(format.substr(prefix.size()), &used);
      if (used != format.size() - prefix.size()) version = 0;
    } catch (const std::exception&) {
      version = 0;
    }
  }
  if (version < 1) {
    throw SkyError(ErrorKind::InvalidFormat, "format '" + format + "' is not a model card (expected \"" + prefix +
                                                 std::to_string(kCardVersion) + "\")");
  }
  if (version > kCardVersion) {
    throw SkyError(ErrorKind::InvalidFormat,
                   "format version " + std::to_string(version) + " is newer than this SkyInterpret reads (" +
                       std::to_string(kCardVersion) + "); update SkyInterpret or rewrite the card");
  }
}

int positiveSize(const JsonValue& value, const std::string& what) {
  const double v = value.number(what);
  if (!(v >= 1 && v <= 65536) || v != std::floor(v)) {
    throw SkyError(ErrorKind::InvalidFormat, what + " must be a whole number from 1 to 65536");
  }
  return static_cast<int>(v);
}

std::vector<std::string> names(const JsonValue& list, const std::string& what) {
  std::vector<std::string> out;
  for (const auto& item : list.array(what)) {
    out.push_back(item.string("each of " + what));
    if (out.back().empty()) throw SkyError(ErrorKind::InvalidFormat, what + " has an empty name");
  }
  if (out.empty()) throw SkyError(ErrorKind::InvalidFormat, what + " must not be empty");
  return out;
}

}  // namespace

ModelCard parseModelCard(const std::string& jsonText, const std::string& sourceName) {
  const JsonValue doc = JsonValue::parse(jsonText, sourceName);
  const std::string where = sourceName + ": ";
  ModelCard card;
  try {
    doc.object("the model card");
    checkFormat(doc);
    requireKey(doc, "input", "");
    const JsonValue& input = doc["input"];
    input.object("input");
    for (const char* key : {"channels", "height", "width"}) requireKey(input, key, "input.");
    card.channels = names(input["channels"], "input.channels");
    card.height = positiveSize(input["height"], "input.height");
    card.width = positiveSize(input["width"], "input.width");
    if (input.has("grid")) card.grid = input["grid"].string("input.grid");
    if (card.grid != "cartview") {
      throw SkyError(ErrorKind::InvalidFormat, "input.grid '" + card.grid + "' is not supported (only 'cartview')");
    }
    const JsonValue& pre = doc["preprocessing"];
    const std::string kind = pre.has("kind") ? pre["kind"].string("preprocessing.kind") : "none";
    if (kind == "none")
      card.preprocessing = Preprocessing::None;
    else if (kind == "per-map-zscore")
      card.preprocessing = Preprocessing::PerMapZScore;
    else if (kind == "global-zscore")
      card.preprocessing = Preprocessing::GlobalZScore;
    else
      throw SkyError(ErrorKind::InvalidFormat, "unknown preprocessing.kind '" + kind + "'");
    if (card.preprocessing == Preprocessing::GlobalZScore) {
      card.globalMean = pre["mean"].number("preprocessing.mean");
      card.globalStd = pre["std"].number("preprocessing.std");
      if (!(card.globalStd > 0) || !std::isfinite(card.globalStd) || !std::isfinite(card.globalMean)) {
        throw SkyError(ErrorKind::InvalidFormat, "preprocessing.std must be positive and finite, and mean finite");
      }
    }
    if (pre.has("fill_value")) card.fillValue = pre["fill_value"].number("preprocessing.fill_value");
    if (!std::isfinite(card.fillValue))
      throw SkyError(ErrorKind::InvalidFormat, "preprocessing.fill_value must be finite");
    requireKey(doc, "outputs", "");
    const JsonValue& outputs = doc["outputs"];
    requireKey(outputs, "names", "outputs.");
    card.outputNames = names(outputs["names"], "outputs.names");
    if (outputs.has("logits")) card.outputsAreLogits = outputs["logits"].boolean("outputs.logits");
    const std::string task = doc.has("task") ? doc["task"].string("task") : "classification";
    if (task == "regression") {
      card.task = ModelTask::Regression;
      requireKey(outputs, "targets", "outputs.");
      card.targets = names(outputs["targets"], "outputs.targets");
      if (outputs.has("sigmas")) card.sigmaOutputs = outputs["sigmas"].boolean("outputs.sigmas");
      const size_t expected = card.targets.size() * (card.sigmaOutputs ? 2 : 1);
      if (card.targets.empty() || card.outputNames.size() != expected) {
        throw SkyError(ErrorKind::InvalidFormat, "outputs.names must hold one name per target" +
                                                     std::string(card.sigmaOutputs ? ", then one per sigma" : "") +
                                                     " (" + std::to_string(expected) + " names for " +
                                                     std::to_string(card.targets.size()) + " targets)");
      }
    } else if (task != "classification") {
      throw SkyError(ErrorKind::InvalidFormat, "task '" + task + "' is neither classification nor regression");
    }
    if (doc.has("description")) card.description = doc["description"].string("description");
  } catch (const SkyError& e) {
    if (std::string(e.what()).rfind(sourceName, 0) == 0) throw;
    throw SkyError(e.kind(), where + e.what());
  }
  return card;
}

ModelCard readModelCard(const std::filesystem::path& path) {
  requireReadableFile(path, "model card");
  std::ifstream f(path);
  if (!f) throw SkyError(ErrorKind::FileNotFound, "cannot open model card " + path.string());
  std::stringstream ss;
  ss << f.rdbuf();
  return parseModelCard(ss.str(), path.string());
}

std::string modelCardJson(const ModelCard& card) {
  JsonWriter j;
  j.beginObject().value("format", "skyinterpret-model-card/1");
  j.beginObject("input").strings("channels", card.channels).value("height", card.height).value("width", card.width);
  j.value("grid", card.grid).endObject();
  j.beginObject("preprocessing").value("kind", preprocessingName(card.preprocessing));
  if (card.preprocessing == Preprocessing::GlobalZScore) j.value("mean", card.globalMean).value("std", card.globalStd);
  j.value("fill_value", card.fillValue).endObject();
  if (card.task == ModelTask::Regression) j.value("task", "regression");
  j.beginObject("outputs").strings("names", card.outputNames).value("logits", card.outputsAreLogits);
  if (card.task == ModelTask::Regression) j.strings("targets", card.targets).value("sigmas", card.sigmaOutputs);
  j.endObject();
  if (!card.description.empty()) j.value("description", card.description);
  j.endObject();
  return j.text() + "\n";
}

void writeModelCard(const ModelCard& card, const std::filesystem::path& path) {
  writeAtomically(path, Overwrite::Allow, [&](const std::filesystem::path& temp) {
    std::ofstream f(temp);
    f << modelCardJson(card);
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "writing " + path.string() + " failed");
  });
}

std::optional<std::filesystem::path> modelCardPathFor(const std::filesystem::path& modelPath) {
  std::filesystem::path card = modelPath;
  card.replace_extension(".json");
  std::error_code ec;
  if (std::filesystem::exists(card, ec)) return card;
  return std::nullopt;
}

}  // namespace sky
