// LibTorch, for the module's layers and parameters (15-20 s to compile, as TorchScriptModel.cpp).
#include "model/ModelRandomisation.h"

#include <torch/script.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "io/AtomicFile.h"
#include "model/ModelCard.h"
#include "util/Error.h"

namespace sky {
namespace {

namespace fs = std::filesystem;

// A layer: the parameters (and buffers) of one module that share a name stem: a standard
// module's "weight" and "bias", or "c1_w" and "c1_b" of a network that keeps every tensor on
// its root module (as `train` writes them).
struct Layer {
  std::string name, kind;
  std::vector<std::pair<std::string, torch::Tensor>> parameters, buffers;  // (own name, tensor)
};

// "c1_w" -> "c1", "weight" -> "", "bn1_mean" -> "bn1"; a name without a known suffix is its own stem.
std::string stemOf(const std::string& name) {
  static const char* kSuffixes[] = {
      "weight", "bias", "w", "b", "running_mean", "running_var", "mean", "var", "num_batches_tracked"};
  for (const char* suffix : kSuffixes) {
    const std::string s(suffix);
    if (name == s) return "";
    if (name.size() > s.size() + 1 && name.ends_with("_" + s)) return name.substr(0, name.size() - s.size() - 1);
  }
  return name;
}

torch::jit::Module loadModule(const std::string& path) {
  requireReadableFile(path, "model file");
  try {
    return torch::jit::load(path, torch::kCPU);
  } catch (const std::exception& e) {
    throw SkyError(ErrorKind::InvalidFormat,
                   path + " is not a TorchScript model (" + std::string(e.what()).substr(0, 200) + ")");
  }
}

std::string typeName(const torch::jit::Module& m) {
  const auto name = m.type()->name();
  return name ? name->name() : std::string("module");
}

// What a layer kept on a bigger module is, from its weight: "convolution", "linear", "normalisation".
std::string kindByShape(const Layer& layer) {
  int rank = 0;
  for (const auto& [name, t] : layer.parameters) rank = std::max(rank, static_cast<int>(t.dim()));
  return rank >= 3 ? "convolution" : rank == 2 ? "linear" : "normalisation";
}

// Output first: the reverse of the definition order, which is the data's order in the seed's
// networks (torch.nn.Sequential, and modules that call their parts in turn).
std::vector<Layer> layersFromOutput(const torch::jit::Module& module) {
  std::vector<Layer> layers;
  for (const auto& m : module.named_modules()) {
    std::vector<Layer> own;
    const auto find = [&](const std::string& stem) -> Layer& {
      for (Layer& l : own)
        if (l.name == stem) return l;
      own.push_back({stem, typeName(m.value), {}, {}});
      return own.back();
    };
    for (const auto& p : m.value.named_parameters(false)) find(stemOf(p.name)).parameters.emplace_back(p.name, p.value);
    for (Layer& l : own) {
      if (!l.name.empty()) l.kind = kindByShape(l);  // a part of a bigger module: say what it is
      for (const auto& b : m.value.named_buffers(false))
        if (stemOf(b.name) == l.name) l.buffers.emplace_back(b.name, b.value);
      const std::string prefix = m.name.empty() ? "" : m.name;
      l.name =
          prefix.empty() ? (l.name.empty() ? "(root)" : l.name) : (l.name.empty() ? prefix : prefix + "." + l.name);
      layers.push_back(std::move(l));
    }
  }
  return {layers.rbegin(), layers.rend()};
}

bool isWeightName(const std::string& name) {
  return name == "weight" || name == "w" || name.ends_with("_w") || name.ends_with("_weight");
}

// PyTorch's reset_parameters(): a layer with a weight of rank >= 2 (convolution, linear) gets
// every parameter uniform in +-1/sqrt(fan_in); a normalisation layer (rank-1 weight) weight 1,
// bias 0, and running statistics mean 0, variance 1.
void resetParameters(Layer& layer, std::mt19937_64& random) {
  torch::NoGradGuard noGrad;
  double fanIn = 0;
  for (const auto& [name, t] : layer.parameters)
    if (t.dim() >= 2) fanIn = static_cast<double>(t.numel() / t.size(0));
  auto generator = at::make_generator<at::CPUGeneratorImpl>(random());
  for (auto& [name, t] : layer.parameters) {
    if (fanIn > 0) {
      const double bound = 1.0 / std::sqrt(fanIn);
      t.uniform_(-bound, bound, generator);
    } else {
      t.fill_(isWeightName(name) ? 1.0 : 0.0);
    }
  }
  for (auto& [name, t] : layer.buffers) {
    if (name.ends_with("var")) t.fill_(1.0);
    if (name.ends_with("mean") || name.ends_with("num_batches_tracked")) t.zero_();
  }
}

}  // namespace

std::vector<std::string> parameterisedLayers(const std::string& path) {
  std::vector<std::string> names;
  for (const auto& l : layersFromOutput(loadModule(path))) names.push_back(l.name + " (" + l.kind + ")");
  return names;
}

std::unique_ptr<Model> loadRandomisedModel(const std::string& path, int count, uint64_t seed,
                                           const ModelLoadOptions& options) {
  if (count == 0) return loadTorchScriptModel(path, options);
  torch::jit::Module module = loadModule(path);
  std::vector<Layer> layers = layersFromOutput(module);
  if (count < 0 || count > static_cast<int>(layers.size())) {
    throw SkyError(ErrorKind::InvalidArgument, "the model has " + std::to_string(layers.size()) +
                                                   " layers with parameters; cannot randomise " +
                                                   std::to_string(count));
  }
  std::mt19937_64 random(seed);
  for (int k = 0; k < count; ++k) resetParameters(layers[static_cast<size_t>(k)], random);
  // A private copy, its card beside it under the same name, loaded as any model.
  const fs::path original(path);
  const fs::path directory = fs::temp_directory_path() / ("skyinterpret-randomised-" + std::to_string(::getpid()) +
                                                          "-" + std::to_string(seed) + "-" + std::to_string(count));
  fs::create_directories(directory);
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{directory};
  const fs::path copy = directory / original.filename();
  module.save(copy.string());
  if (const auto card = modelCardPathFor(original)) fs::copy_file(*card, directory / card->filename());
  return loadTorchScriptModel(copy.string(), options);
}

}  // namespace sky
