#pragma once
// The classifier as the rest of SkyInterpret sees it: batches of float32 images in, (N, K)
// outputs and input gradients out. Only core/model/ knows LibTorch; explainers, the CLI and
// the GUI talk to this interface (and tests to small pure-C++ models implementing it).
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/ModelCard.h"

namespace sky {

struct ImageShape {
  int channels = 0, height = 0, width = 0;
  long long size() const { return static_cast<long long>(channels) * height * width; }
  bool operator==(const ImageShape&) const = default;
  std::string text() const;  // "(C, H, W)"
};

// Memory order of a batch: NCHW (PyTorch's) or NHWC (channel-last, shap's feature order;
// also the faster path for LibTorch convolutions here, see docs/STACK-NOTES.md).
enum class Layout { NCHW, NHWC };

class Model {
 public:
  virtual ~Model() = default;

  virtual ImageShape inputShape() const = 0;
  virtual int outputCount() const = 0;
  virtual const ModelCard& card() const = 0;
  std::vector<std::string> outputNames() const;  // the card's, else "output0".."outputK-1"

  // outputs[n*K + k] for n images laid out in `layout`. Thread-compatible, not thread-safe.
  virtual void evaluate(std::span<const float> batch, int n, Layout layout, std::span<double> outputs) = 0;
  // gradient of sum_n f_target(x_n) w.r.t. every input value (same layout as the batch);
  // `outputs` (n*K, may be empty) receives f(x).
  virtual void gradient(std::span<const float> batch, int n, Layout layout, int target, std::span<float> grad,
                        std::span<double> outputs) = 0;
  virtual bool supportsGradients() const { return true; }
  // How evaluate() runs the model, for logs and result files: "exact (...)" when it runs the
  // module as saved, "optimised (...)" for an inference-optimised copy.
  virtual std::string forwardPath() const { return "exact"; }
};

struct ModelLoadOptions {
  int threads = 0;        // LibTorch intra-op threads; 0 = OMP_NUM_THREADS if set, else all cores
  ImageShape inputShape;  // the data's (C, H, W) when known; must agree with the card
  // A batch is passed to LibTorch in sub-batches of at most this many input values (at least
  // one image each): activations scale with it, so this bounds peak memory on large images
  // without changing any result (rows are independent in eval mode). 2M values = 8 MB input.
  long long maxValuesPerCall = 2 << 20;
  // evaluate() runs a frozen copy of the module with batch norm folded into the convolutions
  // (2-3x faster on this project's CNNs), in the memory format and call size measured fastest
  // (ForwardTuner); gradient() always runs the module as saved. true: evaluate() runs the
  // module as saved too (bit-identical with PyTorch, hence with shap).
  bool exactModel = false;
  // The optimised copy must agree with the saved module on its first batch to within this
  // fraction of max|y|, else the saved module is used (and forwardPath() says why). Folding
  // changes float32 rounding only (1e-7 to 1e-5 of max|y| here); this catches a wrong copy.
  double agreementTolerance = 1e-3;
};

// Loads a TorchScript file (and its card beside it, if any). Loading executes the file's
// TorchScript: load only models you trust. Throws SkyError with a specific message.
std::unique_ptr<Model> loadTorchScriptModel(const std::string& path, const ModelLoadOptions& options = {});

}  // namespace sky
