#include "model/ModelCard.h"

#include <fstream>
#include <sstream>

#include "io/AtomicFile.h"
#include "io/Json.h"
#include "io/JsonValue.h"
#include "util/Error.h"

namespace sky {

const char* preprocessingName(Preprocessing p) {
  switch (p) {
    case Preprocessing::PerMapZScore: return "per-map-zscore";
    case Preprocessing::GlobalZScore: return "global-zscore";
    default: return "none";
  }
}

ModelCard parseModelCard(const std::string& jsonText, const std::string& sourceName) {
  const JsonValue doc = JsonValue::parse(jsonText, sourceName);
  const std::string where = sourceName + ": ";
  ModelCard card;
  try {
    doc.object("the model card");
    const JsonValue& input = doc["input"];
    if (input.has("channels")) {
      for (const auto& c : input["channels"].array("input.channels")) card.channels.push_back(c.string("a channel name"));
    }
    if (input.has("height")) card.height = static_cast<int>(input["height"].number("input.height"));
    if (input.has("width")) card.width = static_cast<int>(input["width"].number("input.width"));
    if (input.has("grid")) card.grid = input["grid"].string("input.grid");
    if (card.grid != "cartview") {
      throw SkyError(ErrorKind::InvalidFormat, "input.grid '" + card.grid + "' is not supported (only 'cartview')");
    }
    if (card.height < 0 || card.width < 0 || card.height > 65536 || card.width > 65536) {
      throw SkyError(ErrorKind::InvalidFormat, "input.height/width out of range");
    }
    const JsonValue& pre = doc["preprocessing"];
    const std::string kind = pre.has("kind") ? pre["kind"].string("preprocessing.kind") : "none";
    if (kind == "none") card.preprocessing = Preprocessing::None;
    else if (kind == "per-map-zscore") card.preprocessing = Preprocessing::PerMapZScore;
    else if (kind == "global-zscore") card.preprocessing = Preprocessing::GlobalZScore;
    else throw SkyError(ErrorKind::InvalidFormat, "unknown preprocessing.kind '" + kind + "'");
    if (card.preprocessing == Preprocessing::GlobalZScore) {
      card.globalMean = pre["mean"].number("preprocessing.mean");
      card.globalStd = pre["std"].number("preprocessing.std");
      if (!(card.globalStd > 0)) throw SkyError(ErrorKind::InvalidFormat, "preprocessing.std must be positive");
    }
    if (pre.has("fill_value")) card.fillValue = pre["fill_value"].number("preprocessing.fill_value");
    const JsonValue& outputs = doc["outputs"];
    if (outputs.has("names")) {
      for (const auto& n : outputs["names"].array("outputs.names")) card.outputNames.push_back(n.string("an output name"));
    }
    if (outputs.has("logits")) card.outputsAreLogits = outputs["logits"].boolean("outputs.logits");
    if (doc.has("description")) card.description = doc["description"].string("description");
  } catch (const SkyError& e) {
    if (std::string(e.what()).rfind(sourceName, 0) == 0) throw;
    throw SkyError(e.kind(), where + e.what());
  }
  return card;
}

ModelCard readModelCard(const std::filesystem::path& path) {
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
  j.beginObject("outputs").strings("names", card.outputNames).value("logits", card.outputsAreLogits).endObject();
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
