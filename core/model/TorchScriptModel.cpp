// The only translation unit that includes LibTorch (15-20 s to compile; keep it that way).
#include <ATen/Parallel.h>
#include <torch/script.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>

#include "io/AtomicFile.h"
#include "model/ForwardTuner.h"
#include "model/Model.h"
#include "util/Error.h"
#include "util/Finite.h"

namespace sky {
namespace {

std::string firstLine(const std::string& text) {
  const auto nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

// The informative part of a LibTorch error: TorchScript tracebacks end with the Python-style
// "RuntimeError: ..." line; plain c10 errors start with their message.
std::string torchMessage(const std::exception& e) {
  const auto* c10 = dynamic_cast<const c10::Error*>(&e);
  std::string text = c10 ? c10->what_without_backtrace() : e.what();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const auto last = text.rfind('\n');
  const std::string tail = last == std::string::npos ? text : text.substr(last + 1);
  if (tail.find("Error: ") != std::string::npos) return tail.substr(tail.find("Error: ") + 7);
  return firstLine(text);
}

// The module as saved plus its inference-optimised copy (none: evaluate runs the saved one).
struct ModuleVariants {
  torch::jit::Module saved;
  std::optional<torch::jit::Module> optimised;
  std::string exactReason;  // why there is no optimised copy
};

constexpr const char* kOptimisation = "frozen, batch norm folded, oneDNN convolutions";

class TorchScriptModel final : public Model {
 public:
  TorchScriptModel(ModuleVariants modules, ModelCard card, ImageShape shape, int outputs, std::string name,
                   long long maxValuesPerCall, double agreementTolerance)
      : module_(modules.saved),  // torch::jit::Module is a shared handle: copies are cheap
        optimised_(modules.optimised),
        exactReason_(std::move(modules.exactReason)),
        card_(std::move(card)),
        shape_(shape),
        outputs_(outputs),
        name_(std::move(name)),
        rowsPerCall_(
            static_cast<int>(std::clamp<long long>(maxValuesPerCall / std::max(1LL, shape.size()), 1, 1 << 20))),
        tolerance_(agreementTolerance),
        tuner_(rowsPerCall_) {}

  ImageShape inputShape() const override { return shape_; }
  int outputCount() const override { return outputs_; }
  const ModelCard& card() const override { return card_; }

  std::string forwardPath() const override {
    if (!optimised_) return "exact (" + exactReason_ + ")";
    if (!verified_) return "optimised (" + std::string(kOptimisation) + "; not yet run)";
    char agreement[96];
    std::snprintf(agreement, sizeof agreement, "; agrees with the saved module to %.1e of max|y|", disagreement_);
    const std::string layout = tuner_.settled() ? describeLayout(tuner_.best()) : "call layout not yet tuned";
    return "optimised (" + std::string(kOptimisation) + "; " + layout + agreement + ")";
  }

  void evaluate(std::span<const float> batch, int n, Layout layout, std::span<double> outputs) override {
    check(batch.size(), n, outputs.size(), true);
    c10::InferenceMode guard;
    const size_t per = static_cast<size_t>(shape_.size());
    for (int first = 0; first < n;) {
      int rows = std::min(rowsPerCall_, n - first);
      const auto chunk = [&] { return batch.subspan(first * per, rows * per); };
      torch::Tensor y;
      if (!optimised_) {
        y = forward(module_, inputTensor(chunk(), rows, layout));
      } else {
        const ForwardTuner::Choice choice = tuner_.choose(n - first);
        rows = choice.config.rows;
        const auto start = std::chrono::steady_clock::now();
        y = forwardOptimised(choice.config, chunk(), rows, layout);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (choice.candidate >= 0) tuner_.record(choice.candidate, seconds / rows);
      }
      copyOutputs(y, rows,
                  outputs.subspan(static_cast<size_t>(first) * outputs_, static_cast<size_t>(rows) * outputs_));
      first += rows;
    }
  }

  void gradient(std::span<const float> batch, int n, Layout layout, int target, std::span<float> grad,
                std::span<double> outputs) override {
    check(batch.size(), n, outputs.size(), false);
    const size_t per = static_cast<size_t>(shape_.size());
    for (int first = 0; first < n; first += rowsPerCall_) {
      const int rows = std::min(rowsPerCall_, n - first);
      gradientChunk(batch.subspan(first * per, rows * per), rows, layout, target, grad.subspan(first * per, rows * per),
                    outputs.empty()
                        ? outputs
                        : outputs.subspan(static_cast<size_t>(first) * outputs_, static_cast<size_t>(rows) * outputs_));
    }
  }

 private:
  // One call through the optimised copy. Its first call is checked against the saved module;
  // a failure or a disagreement drops the copy for good.
  torch::Tensor forwardOptimised(const ForwardConfig& config, std::span<const float> chunk, int rows, Layout layout) {
    const auto format = config.channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    const torch::Tensor x = inputTensor(chunk, rows, layout).contiguous(format);
    torch::Tensor y;
    try {
      y = outputTensor(optimised_->forward({x}));
    } catch (const std::exception& e) {
      return useSavedModule("the optimised copy failed: " + torchMessage(e), x);
    }
    if (!verified_) {
      const torch::Tensor exact = forward(module_, x);
      const double scale = exact.abs().max().item<double>();
      const double diff = (y.to(torch::kFloat64) - exact.to(torch::kFloat64)).abs().max().item<double>();
      if (!(diff <= tolerance_ * scale)) {
        char why[160];
        std::snprintf(why, sizeof why, "the optimised copy disagreed with it by %.2g of max|y| on the first batch",
                      scale > 0 ? diff / scale : diff);
        return useSavedModule(why, x);
      }
      disagreement_ = scale > 0 ? diff / scale : 0.0;
      verified_ = true;
    }
    return y;
  }

  torch::Tensor useSavedModule(std::string reason, const torch::Tensor& x) {
    optimised_.reset();
    exactReason_ = std::move(reason);
    return forward(module_, x);
  }

  void gradientChunk(std::span<const float> batch, int n, Layout layout, int target, std::span<float> grad,
                     std::span<double> outputs) {
    if (target < 0 || target >= outputs_) {
      throw SkyError(ErrorKind::InvalidArgument, "target " + std::to_string(target) +
                                                     " is not an output index (the model has " +
                                                     std::to_string(outputs_) + ")");
    }
    if (grad.size() != batch.size()) throw SkyError(ErrorKind::Internal, "gradient buffer size mismatch");
    // A leaf in the batch's own memory order, so its .grad comes back in that order too.
    torch::Tensor leaf = rawTensor(batch, n, layout).clone().requires_grad_(true);
    const torch::Tensor y = forward(module_, asNchw(leaf, layout));
    try {
      y.select(1, target).sum().backward();
    } catch (const std::exception& e) {
      throw SkyError(ErrorKind::InvalidData, name_ + ": the model gives no input gradients (" + torchMessage(e) +
                                                 "); use a method that needs none, such as partition or occlusion");
    }
    if (!leaf.grad().defined()) {
      throw SkyError(ErrorKind::InvalidData, name_ +
                                                 ": the model's output does not depend on its input through "
                                                 "differentiable operations; use partition or occlusion");
    }
    const torch::Tensor g = leaf.grad().contiguous();
    std::memcpy(grad.data(), g.data_ptr<float>(), grad.size() * sizeof(float));
    requireFinite(grad, "input gradients");
    if (!outputs.empty()) copyOutputs(y.detach(), n, outputs);
  }

  void check(size_t values, int n, size_t outputValues, bool outputsRequired) const {
    if (n < 1 || values != static_cast<size_t>(n) * static_cast<size_t>(shape_.size())) {
      throw SkyError(ErrorKind::InvalidArgument, name_ + ": batch of " + std::to_string(values) + " values is not " +
                                                     std::to_string(n) + " images of " + shape_.text());
    }
    if ((outputsRequired || outputValues > 0) && outputValues != static_cast<size_t>(n) * outputs_) {
      throw SkyError(ErrorKind::Internal, "output buffer size mismatch");
    }
  }

  torch::Tensor rawTensor(std::span<const float> batch, int n, Layout layout) const {
    const std::vector<int64_t> dims = layout == Layout::NCHW
                                          ? std::vector<int64_t>{n, shape_.channels, shape_.height, shape_.width}
                                          : std::vector<int64_t>{n, shape_.height, shape_.width, shape_.channels};
    return torch::from_blob(const_cast<float*>(batch.data()), dims, torch::kFloat32);
  }
  static torch::Tensor asNchw(const torch::Tensor& t, Layout layout) {
    return layout == Layout::NCHW ? t : t.permute({0, 3, 1, 2});  // channels-last strides, no copy
  }
  torch::Tensor inputTensor(std::span<const float> batch, int n, Layout layout) const {
    return asNchw(rawTensor(batch, n, layout), layout);
  }

  torch::Tensor forward(torch::jit::Module& module, const torch::Tensor& x) {
    try {
      return outputTensor(module.forward({x}));
    } catch (const SkyError&) {
      throw;
    } catch (const std::exception& e) {
      throw SkyError(ErrorKind::InvalidData,
                     name_ + ": the model failed on a batch of " + shape_.text() + " images: " + torchMessage(e));
    }
  }

  torch::Tensor outputTensor(const torch::jit::IValue& out) const {
    if (!out.isTensor()) throw SkyError(ErrorKind::InvalidFormat, name_ + ": the model does not return a tensor");
    torch::Tensor y = out.toTensor();
    if (y.dim() == 1) y = y.unsqueeze(1);  // (N,) -> (N, 1)
    return y;
  }

  void copyOutputs(const torch::Tensor& y, int n, std::span<double> outputs) const {
    const torch::Tensor yd = y.to(torch::kFloat64).contiguous();
    if (yd.size(0) != n || yd.size(1) != outputs_)
      throw SkyError(ErrorKind::InvalidData, name_ + ": output shape changed");
    std::memcpy(outputs.data(), yd.data_ptr<double>(), outputs.size() * sizeof(double));
    requireFinite(outputs, "outputs");
  }

  // NaN/inf policy (README): a model that returns them cannot be explained or scored.
  template <typename T>
  void requireFinite(std::span<T> values, const char* what) const {
    sky::requireFinite(std::span<const T>(values), name_ + ": the model's " + std::string(what),
                       " in a batch of " + shape_.text() + " images");
  }

  torch::jit::Module module_;
  std::optional<torch::jit::Module> optimised_;
  std::string exactReason_;
  ModelCard card_;
  ImageShape shape_;
  int outputs_;
  std::string name_;
  int rowsPerCall_;
  double tolerance_;
  bool verified_ = false;
  double disagreement_ = 0;
  ForwardTuner tuner_;
};

// The copy for forward-only work: torch.jit.optimize_for_inference freezes the module (weights
// become constants, batch norm folds into the convolutions) and rewrites convolutions to oneDNN
// with pre-packed weights. The oneDNN kernels, not the folding, make it 2-3x faster here; both
// change float32 rounding (ModelTest measures by how much).
ModuleVariants optimisedVariants(const torch::jit::Module& module, bool exact) {
  ModuleVariants v;
  v.saved = module;
  if (exact) {
    v.exactReason = "asked for";
    return v;
  }
  try {
    // optimize_for_inference freezes a copy of a module that is not frozen yet.
    v.optimised = torch::jit::optimize_for_inference(v.saved);
  } catch (const std::exception& e) {
    v.exactReason = "the module cannot be optimised: " + torchMessage(e);
  }
  return v;
}

}  // namespace

std::unique_ptr<Model> loadTorchScriptModel(const std::string& path, const ModelLoadOptions& options) {
  requireReadableFile(path, "model file");
  // 0 threads: OMP_NUM_THREADS when set (schedulers such as Slurm set it), else every core.
  int threads = options.threads;
  if (threads <= 0) {
    const char* env = std::getenv("OMP_NUM_THREADS");
    threads = env ? std::atoi(env) : 0;
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  at::set_num_threads(threads);

  torch::jit::Module module;
  try {
    module = torch::jit::load(path, torch::kCPU);
  } catch (const std::exception& e) {
    throw SkyError(ErrorKind::InvalidFormat, path + " is not a TorchScript model (" + torchMessage(e) +
                                                 "); export with torch.jit.trace or torch.jit.script");
  }
  module.eval();

  ModelCard card;
  const auto cardPath = modelCardPathFor(path);
  if (cardPath) card = readModelCard(*cardPath);
  ImageShape shape{static_cast<int>(card.channels.size()), card.height, card.width};
  if (options.inputShape.size() > 0) {
    if (card.hasInputShape() && !(options.inputShape == shape)) {
      throw SkyError(ErrorKind::InvalidData, "the model card " + cardPath->string() + " says input " + shape.text() +
                                                 " but the data is " + options.inputShape.text());
    }
    shape = options.inputShape;
  }
  if (shape.size() <= 0) {
    throw SkyError(ErrorKind::InvalidArgument, path +
                                                   ": the input shape is unknown (no model card with input.channels, "
                                                   "height and width); give it with the data or write a card");
  }
  // Probe: one zero image tells whether the model takes this shape and what it returns.
  torch::Tensor probe = torch::zeros({1, shape.channels, shape.height, shape.width});
  torch::jit::IValue out;
  try {
    c10::InferenceMode guard;
    out = module.forward({probe});
  } catch (const std::exception& e) {
    throw SkyError(ErrorKind::InvalidData,
                   path + ": the model cannot take images of " + shape.text() + ": " + torchMessage(e));
  }
  if (!out.isTensor()) throw SkyError(ErrorKind::InvalidFormat, path + ": the model does not return a tensor");
  const torch::Tensor y = out.toTensor();
  if (y.dim() > 2 || (y.dim() == 2 && y.size(0) != 1) || y.dim() == 0) {
    throw SkyError(ErrorKind::InvalidFormat,
                   path + ": outputs must be (N, K); a batch of 1 gave shape " + c10::str(y.sizes()));
  }
  const int k = y.dim() == 2 ? static_cast<int>(y.size(1)) : 1;
  if (!card.outputNames.empty() && static_cast<int>(card.outputNames.size()) != k) {
    throw SkyError(ErrorKind::InvalidData, "the model card lists " + std::to_string(card.outputNames.size()) +
                                               " output names but the model returns " + std::to_string(k) + " outputs");
  }
  if (card.channels.empty()) {
    for (int c = 0; c < shape.channels; ++c)
      card.channels.push_back(shape.channels == 3 ? std::string(1, "TQU"[c]) : "T");
    card.height = shape.height;
    card.width = shape.width;
  }
  return std::make_unique<TorchScriptModel>(optimisedVariants(module, options.exactModel), std::move(card), shape, k,
                                            std::filesystem::path(path).filename().string(), options.maxValuesPerCall,
                                            options.agreementTolerance);
}

}  // namespace sky
