#pragma once
// Captum-compatible gradient attributions (docs/CONVENTIONS.md): Saliency, Integrated Gradients,
// GradientSHAP and NoiseTunnel (SmoothGrad, SmoothGrad^2, VarGrad) over Saliency. All work on
// NCHW model inputs, batch gradient passes in chunks of `batchSize` rows, report progress and
// stop between chunks when cancelled.
#include <cstdint>
#include <optional>

#include "explain/Attribution.h"
#include "explain/Quadrature.h"
#include "jobs/Progress.h"

namespace sky {

struct GradientCommon {
  TargetSelection targets = TargetSelection::parse("0");
  int batchSize = 32;  // rows per gradient pass
};

struct SaliencyOptions : GradientCommon {
  bool absolute = true;  // Captum's abs=True
};

struct IntegratedGradientsOptions : GradientCommon {
  int steps = 50;
  QuadratureRule rule = QuadratureRule::GaussLegendre;
  // One baseline image (C, H, W) for every input, or one per input; empty = zeros.
  std::optional<ImageBatch> baselines;
};

struct GradientShapOptions : GradientCommon {
  int samples = 5;
  double stdev = 0.0;  // Gaussian noise added to the input per sample
  uint64_t seed = 0;
  ImageBatch baselines;  // drawn from uniformly; must not be empty
};

enum class NoiseTunnelKind { SmoothGrad, SmoothGradSquared, VarGrad };

struct NoiseTunnelOptions : GradientCommon {
  int samples = 5;     // Captum's nt_samples
  double stdev = 1.0;  // Captum's stdevs
  NoiseTunnelKind kind = NoiseTunnelKind::SmoothGrad;
  bool absolute = true;  // of the underlying Saliency
  uint64_t seed = 0;
};

Attribution explainSaliency(Model& model, const ImageBatch& batch, const SaliencyOptions& options, Progress& progress);
Attribution explainIntegratedGradients(Model& model, const ImageBatch& batch, const IntegratedGradientsOptions& options,
                                       Progress& progress);
Attribution explainGradientShap(Model& model, const ImageBatch& batch, const GradientShapOptions& options,
                                Progress& progress);
Attribution explainNoiseTunnel(Model& model, const ImageBatch& batch, const NoiseTunnelOptions& options,
                               Progress& progress);

NoiseTunnelKind parseNoiseTunnelKind(const std::string& text);  // smoothgrad, smoothgrad_sq, vargrad

}  // namespace sky
