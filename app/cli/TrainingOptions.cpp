#include "TrainingOptions.h"

#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

namespace {

std::vector<int> parseWidths(const std::string& name, const std::string& text) {
  std::vector<int> out;
  for (const auto& item : splitList(text)) {
    const int v = std::atoi(item.c_str());
    if (v < 1 || v > 4096) throw SkyError(ErrorKind::Usage, "--" + name + " expects positive integers, e.g. 32,64,128");
    out.push_back(v);
  }
  return out;
}

}  // namespace

std::set<std::string> trainingOptionNames() {
  return {"arch",   "widths", "dense", "dropout",      "components", "hidden",
          "epochs", "batch",  "lr",    "val-fraction", "patience",   "seed"};
}

sky::TrainingOptions trainingOptions(const Arguments& args) {
  sky::TrainingOptions o;
  const std::string arch = args.get("arch").value_or("cnn");
  if (arch != "cnn" && arch != "pca-mlp") throw SkyError(ErrorKind::Usage, "--arch is cnn or pca-mlp");
  o.architecture = arch == "cnn" ? sky::Architecture::Cnn : sky::Architecture::PcaMlp;
  if (const auto w = args.get("widths")) o.convWidths = parseWidths("widths", *w);
  if (const auto h = args.get("hidden")) o.hiddenWidths = parseWidths("hidden", *h);
  o.denseWidth = args.getInt("dense", o.denseWidth);
  o.dropout = args.getDouble("dropout", o.dropout);
  o.components = args.getInt("components", o.components);
  o.epochs = args.getInt("epochs", o.epochs, 1, 100000);
  o.batchSize = args.getInt("batch", o.batchSize, 1, 4096);
  o.learningRate = args.getDouble("lr", o.learningRate);
  o.validationFraction = args.getDouble("val-fraction", o.validationFraction);
  o.earlyStoppingPatience = args.getInt("patience", o.earlyStoppingPatience);
  o.seed = static_cast<uint64_t>(args.getInt("seed", 0, 0));
  o.threads = args.threads();
  return o;
}

}  // namespace cli
