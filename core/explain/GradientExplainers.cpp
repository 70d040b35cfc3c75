#include "explain/GradientExplainers.h"

#include <chrono>
#include <cmath>
#include <random>

#include "util/Error.h"

namespace sky {
namespace {

using Clock = std::chrono::steady_clock;

// Runs gradient passes over many input rows in chunks and hands each row's gradient back.
class GradientRunner {
 public:
  GradientRunner(Model& model, int batchSize, Progress& progress, long long totalRows)
      : model_(model),
        batch_(batchSize),
        progress_(progress),
        total_(totalRows),
        per_(static_cast<size_t>(model.inputShape().size())) {
    if (batchSize < 1) throw SkyError(ErrorKind::InvalidArgument, "batch size must be at least 1");
  }

  // rows: count x per values (NCHW). visit(row, gradient, outputs) for every row.
  // LibTorch's channels-last convolutions are faster here (docs/STACK-NOTES.md): rows go in as NHWC
  // (the same bytes when C = 1) and gradients come back to NCHW for the caller.
  template <typename Visit>
  void run(const std::vector<float>& rows, int count, int target, Visit&& visit) {
    std::vector<float> grad, nhwc, nchwGrad;
    std::vector<double> out;
    const ImageShape s = model_.inputShape();
    for (int start = 0; start < count; start += batch_) {
      const int n = std::min(batch_, count - start);
      const float* chunk = rows.data() + static_cast<size_t>(start) * per_;
      grad.resize(static_cast<size_t>(n) * per_);
      out.resize(static_cast<size_t>(n) * model_.outputCount());
      if (s.channels == 1) {
        model_.gradient(std::span<const float>(chunk, n * per_), n, Layout::NHWC, target, grad, out);
      } else {
        nhwc.resize(grad.size());
        transpose(chunk, nhwc.data(), n, s, true);
        model_.gradient(nhwc, n, Layout::NHWC, target, grad, out);
        nchwGrad.resize(grad.size());
        transpose(grad.data(), nchwGrad.data(), n, s, false);
        grad.swap(nchwGrad);
      }
      done_ += n;
      for (int i = 0; i < n; ++i)
        visit(start + i, grad.data() + static_cast<size_t>(i) * per_,
              out.data() + static_cast<size_t>(i) * model_.outputCount());
      progress_.report(done_, total_);
    }
  }
  long long rows() const { return done_; }

 private:
  // NCHW <-> NHWC for n images.
  static void transpose(const float* from, float* to, int n, const ImageShape& s, bool toChannelLast) {
    const size_t hw = static_cast<size_t>(s.height) * s.width, per = hw * s.channels;
    for (int i = 0; i < n; ++i)
      for (int c = 0; c < s.channels; ++c)
        for (size_t p = 0; p < hw; ++p) {
          const size_t chw = i * per + c * hw + p, hwc = i * per + p * s.channels + c;
          if (toChannelLast)
            to[hwc] = from[chw];
          else
            to[chw] = from[hwc];
        }
  }

  Model& model_;
  int batch_;
  Progress& progress_;
  long long total_, done_ = 0;
  size_t per_;
};

// f(x) for the batch, which also resolves the targets (top-k needs it).
// The inputs are checked (shape, finite values) before the model sees them.
std::vector<double> evaluateAll(Model& model, const ImageBatch& batch) {
  checkBatchForModel(batch, model);
  std::vector<double> fx(static_cast<size_t>(batch.count) * model.outputCount());
  model.evaluate(batch.nchw, batch.count, Layout::NCHW, fx);
  return fx;
}

Attribution startResult(const std::string& method, Model& model, const ImageBatch& batch, const GradientCommon& common,
                        const std::vector<double>& fx) {
  checkBatchForModel(batch, model);
  Attribution a;
  a.method = method;
  a.shape = batch.shape;
  a.images = batch.count;
  a.outputNames = model.outputNames();
  a.targetIndex = resolveTargets(common.targets, fx, batch.count, model.outputCount());
  a.targetsPerImage = static_cast<int>(a.targetIndex.size()) / batch.count;
  a.values.assign(static_cast<size_t>(batch.count) * a.targetsPerImage * batch.shape.size(), 0.0);
  for (int n = 0; n < batch.count; ++n)
    for (int k = 0; k < a.targetsPerImage; ++k) {
      a.outputs.push_back(fx[static_cast<size_t>(n) * model.outputCount() + a.targetIndex[n * a.targetsPerImage + k]]);
    }
  a.parameters = {{"target", common.targets.text()}, {"batch_size", std::to_string(common.batchSize)}};
  a.modelRowsEvaluated = batch.count;
  return a;
}

double* slot(Attribution& a, int n, int k) {
  return a.values.data() + (static_cast<size_t>(n) * a.targetsPerImage + k) * static_cast<size_t>(a.shape.size());
}

void finish(Attribution& a, Clock::time_point start, long long gradientRows) {
  a.modelRowsEvaluated += gradientRows;
  a.seconds = std::chrono::duration<double>(Clock::now() - start).count();
}

// Sampling methods (GradientSHAP, NoiseTunnel) share these argument rules.
void checkSampling(int samples, double stdev) {
  if (samples < 1) throw SkyError(ErrorKind::InvalidArgument, "samples must be at least 1");
  if (!(stdev >= 0) || !std::isfinite(stdev))
    throw SkyError(ErrorKind::InvalidArgument, "stdev must be a finite number >= 0");
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

NoiseTunnelKind parseNoiseTunnelKind(const std::string& text) {
  if (text == "smoothgrad") return NoiseTunnelKind::SmoothGrad;
  if (text == "smoothgrad_sq") return NoiseTunnelKind::SmoothGradSquared;
  if (text == "vargrad") return NoiseTunnelKind::VarGrad;
  throw SkyError(ErrorKind::InvalidArgument,
                 "unknown noise tunnel type '" + text + "' (smoothgrad, smoothgrad_sq, vargrad)");
}

Attribution explainSaliency(Model& model, const ImageBatch& batch, const SaliencyOptions& options, Progress& progress) {
  const auto start = Clock::now();
  Attribution a = startResult("saliency", model, batch, options, evaluateAll(model, batch));
  a.parameters.emplace_back("abs", options.absolute ? "true" : "false");
  const int k = a.targetsPerImage;
  GradientRunner runner(model, options.batchSize, progress, static_cast<long long>(batch.count) * k);
  const size_t per = static_cast<size_t>(batch.shape.size());
  for (int n = 0; n < batch.count; ++n) {
    const std::vector<float> row(batch.image(n), batch.image(n) + per);
    for (int j = 0; j < k; ++j) {
      runner.run(row, 1, a.targetIndex[n * k + j], [&](int, const float* g, const double*) {
        double* dst = slot(a, n, j);
        for (size_t i = 0; i < per; ++i) dst[i] = options.absolute ? std::abs(g[i]) : g[i];
      });
    }
  }
  finish(a, start, runner.rows());
  return a;
}

Attribution explainIntegratedGradients(Model& model, const ImageBatch& batch, const IntegratedGradientsOptions& options,
                                       Progress& progress) {
  const auto start = Clock::now();
  Attribution a = startResult("integrated-gradients", model, batch, options, evaluateAll(model, batch));
  const Quadrature q = quadrature(options.rule, options.steps);
  a.parameters.emplace_back("steps", std::to_string(options.steps));
  a.parameters.emplace_back("method", quadratureRuleName(options.rule));
  a.parameters.emplace_back("baselines", options.baselines ? "given" : "zeros");
  const size_t per = static_cast<size_t>(batch.shape.size());
  // Baseline per image: zeros, one shared image, or one per input.
  std::vector<float> baselines(per * batch.count, 0.0f);
  if (options.baselines) {
    const ImageBatch& b = *options.baselines;
    if (!(b.shape == batch.shape) || (b.count != 1 && b.count != batch.count)) {
      throw SkyError(ErrorKind::InvalidArgument,
                     "baselines must be one image or one per input, each " + batch.shape.text());
    }
    b.checkFinite("baselines");
    for (int n = 0; n < batch.count; ++n)
      std::copy(b.image(b.count == 1 ? 0 : n), b.image(b.count == 1 ? 0 : n) + per, baselines.begin() + n * per);
  }
  std::vector<double> fBase(static_cast<size_t>(batch.count) * model.outputCount());
  model.evaluate(baselines, batch.count, Layout::NCHW, fBase);
  a.modelRowsEvaluated += batch.count;
  const int k = a.targetsPerImage;
  GradientRunner runner(model, options.batchSize, progress, static_cast<long long>(batch.count) * k * options.steps);
  std::vector<float> path(per * options.steps);
  std::vector<double> sum(per);
  for (int n = 0; n < batch.count; ++n) {
    const float* x = batch.image(n);
    const float* b = baselines.data() + n * per;
    for (int s = 0; s < options.steps; ++s) {
      const float alpha = static_cast<float>(q.alphas[s]);  // Captum scales in float32
      for (size_t i = 0; i < per; ++i) path[s * per + i] = b[i] + alpha * (x[i] - b[i]);
    }
    for (int j = 0; j < k; ++j) {
      const int target = a.targetIndex[n * k + j];
      std::fill(sum.begin(), sum.end(), 0.0);
      runner.run(path, options.steps, target, [&](int s, const float* g, const double*) {
        for (size_t i = 0; i < per; ++i) sum[i] += q.weights[s] * g[i];
      });
      double* dst = slot(a, n, j);
      double total = 0.0;
      for (size_t i = 0; i < per; ++i) {
        dst[i] = sum[i] * (static_cast<double>(x[i]) - b[i]);
        total += dst[i];
      }
      const double base = fBase[static_cast<size_t>(n) * model.outputCount() + target];
      a.baseValues.push_back(base);
      a.convergenceDelta.push_back(total - (a.outputs[n * k + j] - base));
    }
  }
  finish(a, start, runner.rows());
  return a;
}

Attribution explainGradientShap(Model& model, const ImageBatch& batch, const GradientShapOptions& options,
                                Progress& progress) {
  const auto start = Clock::now();
  Attribution a = startResult("gradient-shap", model, batch, options, evaluateAll(model, batch));
  if (options.baselines.count < 1)
    throw SkyError(ErrorKind::InvalidArgument, "GradientSHAP needs at least one baseline image");
  if (!(options.baselines.shape == batch.shape)) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "baselines are " + options.baselines.shape.text() + " but inputs are " + batch.shape.text());
  }
  options.baselines.checkFinite("baselines");
  checkSampling(options.samples, options.stdev);
  a.parameters.emplace_back("samples", std::to_string(options.samples));
  a.parameters.emplace_back("stdevs", number(options.stdev));
  a.parameters.emplace_back("seed", std::to_string(options.seed));
  a.parameters.emplace_back("baseline_count", std::to_string(options.baselines.count));
  // Expected f over the baseline set: GradientSHAP's completeness holds in expectation for it.
  std::vector<double> fBase(static_cast<size_t>(options.baselines.count) * model.outputCount());
  model.evaluate(options.baselines.nchw, options.baselines.count, Layout::NCHW, fBase);
  a.modelRowsEvaluated += options.baselines.count;
  const size_t per = static_cast<size_t>(batch.shape.size());
  const int k = a.targetsPerImage;
  GradientRunner runner(model, options.batchSize, progress, static_cast<long long>(batch.count) * k * options.samples);
  std::mt19937_64 rng(options.seed);
  std::normal_distribution<double> noise(0.0, options.stdev > 0 ? options.stdev : 1.0);
  std::uniform_int_distribution<int> pick(0, options.baselines.count - 1);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<float> points(per * options.samples), diffs(per * options.samples);
  for (int n = 0; n < batch.count; ++n) {
    const float* x = batch.image(n);
    std::vector<int> chosen(options.samples);
    for (int s = 0; s < options.samples; ++s) {
      chosen[s] = pick(rng);
      const float* b = options.baselines.image(chosen[s]);
      const float alpha = static_cast<float>(uniform(rng));
      for (size_t i = 0; i < per; ++i) {
        const float xt = x[i] + (options.stdev > 0 ? static_cast<float>(noise(rng)) : 0.0f);
        diffs[s * per + i] = xt - b[i];
        points[s * per + i] = b[i] + alpha * (xt - b[i]);
      }
    }
    for (int j = 0; j < k; ++j) {
      const int target = a.targetIndex[n * k + j];
      double* dst = slot(a, n, j);
      runner.run(points, options.samples, target, [&](int s, const float* g, const double*) {
        for (size_t i = 0; i < per; ++i) dst[i] += static_cast<double>(g[i]) * diffs[s * per + i] / options.samples;
      });
      double meanBase = 0.0;
      for (int s = 0; s < options.baselines.count; ++s)
        meanBase += fBase[static_cast<size_t>(s) * model.outputCount() + target];
      a.baseValues.push_back(meanBase / options.baselines.count);
    }
  }
  finish(a, start, runner.rows());
  return a;
}

Attribution explainNoiseTunnel(Model& model, const ImageBatch& batch, const NoiseTunnelOptions& options,
                               Progress& progress) {
  const auto start = Clock::now();
  Attribution a = startResult("smoothgrad", model, batch, options, evaluateAll(model, batch));
  checkSampling(options.samples, options.stdev);
  const char* kinds[] = {"smoothgrad", "smoothgrad_sq", "vargrad"};
  a.parameters.emplace_back("nt_type", kinds[static_cast<int>(options.kind)]);
  a.parameters.emplace_back("nt_samples", std::to_string(options.samples));
  a.parameters.emplace_back("stdevs", number(options.stdev));
  a.parameters.emplace_back("abs", options.absolute ? "true" : "false");
  a.parameters.emplace_back("seed", std::to_string(options.seed));
  const size_t per = static_cast<size_t>(batch.shape.size());
  const int k = a.targetsPerImage;
  GradientRunner runner(model, options.batchSize, progress, static_cast<long long>(batch.count) * k * options.samples);
  std::mt19937_64 rng(options.seed);
  std::normal_distribution<double> noise(0.0, options.stdev > 0 ? options.stdev : 1.0);
  std::vector<float> noisy(per * options.samples);
  std::vector<double> sum(per), sumSq(per);
  for (int n = 0; n < batch.count; ++n) {
    const float* x = batch.image(n);
    for (int s = 0; s < options.samples; ++s)
      for (size_t i = 0; i < per; ++i)
        noisy[s * per + i] = x[i] + (options.stdev > 0 ? static_cast<float>(noise(rng)) : 0.0f);
    for (int j = 0; j < k; ++j) {
      std::fill(sum.begin(), sum.end(), 0.0);
      std::fill(sumSq.begin(), sumSq.end(), 0.0);
      runner.run(noisy, options.samples, a.targetIndex[n * k + j], [&](int, const float* g, const double*) {
        for (size_t i = 0; i < per; ++i) {
          const double v = options.absolute ? std::abs(g[i]) : g[i];
          sum[i] += v;
          sumSq[i] += v * v;
        }
      });
      double* dst = slot(a, n, j);
      const double m = options.samples;
      for (size_t i = 0; i < per; ++i) {
        const double mean = sum[i] / m, meanSq = sumSq[i] / m;
        dst[i] = options.kind == NoiseTunnelKind::SmoothGrad          ? mean
                 : options.kind == NoiseTunnelKind::SmoothGradSquared ? meanSq
                                                                      : meanSq - mean * mean;
      }
    }
  }
  finish(a, start, runner.rows());
  return a;
}

}  // namespace sky
