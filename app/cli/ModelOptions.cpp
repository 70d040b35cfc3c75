#include "ModelOptions.h"

#include <iostream>

namespace cli {

std::set<std::string> withModelFlags(std::set<std::string> flags) {
  flags.insert("exact-model");
  return flags;
}

sky::ModelLoadOptions modelLoadOptions(const Arguments& args, sky::ImageShape shape) {
  sky::ModelLoadOptions options;
  options.threads = args.threads();
  options.inputShape = shape;
  options.exactModel = args.has("exact-model");
  return options;
}

std::unique_ptr<sky::Model> loadModel(const std::string& path, const Arguments& args, sky::ImageShape shape) {
  return sky::loadTorchScriptModel(path, modelLoadOptions(args, shape));
}

void reportModelForward(const sky::Model& model) { std::cerr << "model: " << model.forwardPath() << "\n"; }

}  // namespace cli
