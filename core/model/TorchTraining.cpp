// Classifier and regression training with LibTorch (one of the three LibTorch translation units).
#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <sstream>

#include "io/AtomicFile.h"
#include "model/Training.h"
#include "stats/ClassificationMetrics.h"
#include "stats/Pca.h"
#include "stats/RegressionMetrics.h"
#include "util/Error.h"

namespace sky {
namespace {

torch::Tensor he(const std::vector<int64_t>& shape, int64_t fanIn) {
  return torch::randn(shape) * std::sqrt(2.0 / static_cast<double>(fanIn));
}

// Registers a trainable tensor (register_parameter does not set requires_grad itself).
void addParameter(torch::jit::Module& m, const std::string& name, const torch::Tensor& t) {
  m.register_parameter(name, t.set_requires_grad(true), false);
}

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  std::string t = s.str();
  if (t.find_first_of(".e") == std::string::npos) t += ".0";  // TorchScript wants a float literal
  return t;
}

// What the last dense layer's y becomes: the logit itself, or for regression the means and
// standard deviations in the parameters' units (buffers y_mean and y_scale, set from the
// training targets; the network works in units of their spread).
struct Head {
  int outputs = 1;
  std::string expression = "y";
  std::vector<float> mean, scale;  // regression: y_mean and y_scale
};

Head regressionHead(const std::vector<float>& mean, const std::vector<float>& scale) {
  const std::string p = std::to_string(mean.size());
  return {2 * static_cast<int>(mean.size()),
          "torch.cat([y[:, :" + p + "] * self.y_scale + self.y_mean, torch.abs(y[:, " + p + ":]) * self.y_scale], 1)",
          mean, scale};
}

// The head's buffers, registered before the forward source that reads them is compiled.
void addHeadBuffers(torch::jit::Module& m, const Head& head) {
  if (head.mean.empty()) return;
  m.register_buffer("y_mean", torch::tensor(head.mean, torch::kFloat32));
  m.register_buffer("y_scale", torch::tensor(head.scale, torch::kFloat32));
}

// Conv-BN-ReLU(-MaxPool) x3, global average pool, dropout, dense ReLU, dropout, dense head.
torch::jit::Module buildCnn(const ImageShape& s, const TrainingOptions& o, const Head& head) {
  if (o.convWidths.size() != 3) throw SkyError(ErrorKind::InvalidArgument, "the CNN takes three convolution widths");
  torch::jit::Module m("SkyInterpretCnn");
  m.register_attribute("training", c10::BoolType::get(), true);
  addHeadBuffers(m, head);
  std::ostringstream src;
  src << "def forward(self, x):\n";
  int in = s.channels;
  for (int i = 0; i < 3; ++i) {
    const int out = o.convWidths[i];
    if (out < 1) throw SkyError(ErrorKind::InvalidArgument, "convolution widths must be positive");
    const std::string n = std::to_string(i + 1);
    addParameter(m, "c" + n + "_w", he({out, in, 3, 3}, static_cast<int64_t>(in) * 9));
    addParameter(m, "c" + n + "_b", torch::zeros({out}));
    addParameter(m, "bn" + n + "_w", torch::ones({out}));
    addParameter(m, "bn" + n + "_b", torch::zeros({out}));
    m.register_buffer("bn" + n + "_mean", torch::zeros({out}));
    m.register_buffer("bn" + n + "_var", torch::ones({out}));
    src << "    x = torch.conv2d(x, self.c" << n << "_w, self.c" << n << "_b, [1, 1], [1, 1])\n"
        << "    x = torch.batch_norm(x, self.bn" << n << "_w, self.bn" << n << "_b, self.bn" << n << "_mean, self.bn"
        << n << "_var, self.training, 0.1, 1e-05, False)\n"
        << "    x = torch.relu(x)\n";
    if (i < 2) src << "    x = torch.max_pool2d(x, [2, 2])\n";
    in = out;
  }
  addParameter(m, "d1_w", he({o.denseWidth, in}, in));
  addParameter(m, "d1_b", torch::zeros({o.denseWidth}));
  addParameter(m, "d2_w", torch::randn({head.outputs, o.denseWidth}) * std::sqrt(1.0 / o.denseWidth));
  addParameter(m, "d2_b", torch::zeros({head.outputs}));
  const std::string p = number(o.dropout);
  src << "    x = torch.mean(x, [2, 3])\n"
      << "    x = torch.dropout(x, " << p << ", self.training)\n"
      << "    x = torch.relu(torch.linear(x, self.d1_w, self.d1_b))\n"
      << "    x = torch.dropout(x, " << p << ", self.training)\n"
      << "    y = torch.linear(x, self.d2_w, self.d2_b)\n"
      << "    return " << head.expression << "\n";
  m.define(src.str());
  return m;
}

// Frozen PCA projection (buffers, not parameters), standardised coefficients, ReLU MLP head.
torch::jit::Module buildPcaMlp(const ImageShape& s, const PcaResult& pca, const TrainingOptions& o, const Head& head) {
  torch::jit::Module m("SkyInterpretPcaMlp");
  m.register_attribute("training", c10::BoolType::get(), true);
  addHeadBuffers(m, head);
  const int64_t p = s.size(), k = pca.components;
  m.register_buffer("pca_mean", torch::from_blob(const_cast<float*>(pca.mean.data()), {p}).clone());
  m.register_buffer("pca_basis", torch::from_blob(const_cast<float*>(pca.basis.data()), {k, p}).clone());
  std::vector<float> scale(k);
  for (int64_t c = 0; c < k; ++c) scale[c] = static_cast<float>(std::sqrt(std::max(pca.variances[c], 1e-12)));
  m.register_buffer("pca_scale", torch::from_blob(scale.data(), {k}).clone());
  std::ostringstream src;
  src << "def forward(self, x):\n"
      << "    x = torch.linear(torch.flatten(x, 1) - self.pca_mean, self.pca_basis) / self.pca_scale\n";
  int64_t in = k;
  for (size_t i = 0; i < o.hiddenWidths.size(); ++i) {
    const int out = o.hiddenWidths[i];
    const std::string n = std::to_string(i + 1);
    addParameter(m, "h" + n + "_w", he({out, in}, in));
    addParameter(m, "h" + n + "_b", torch::zeros({out}));
    src << "    x = torch.relu(torch.linear(x, self.h" << n << "_w, self.h" << n << "_b))\n"
        << "    x = torch.dropout(x, " << number(o.dropout) << ", self.training)\n";
    in = out;
  }
  addParameter(m, "out_w", torch::randn({head.outputs, in}) * std::sqrt(1.0 / static_cast<double>(in)));
  addParameter(m, "out_b", torch::zeros({head.outputs}));
  src << "    y = torch.linear(x, self.out_w, self.out_b)\n"
      << "    return " << head.expression << "\n";
  m.define(src.str());
  return m;
}

torch::Tensor gather(const ImageBatch& images, const std::vector<int>& indices, size_t first, size_t count) {
  const ImageShape& s = images.shape;
  const size_t per = static_cast<size_t>(s.size());
  torch::Tensor batch = torch::empty({static_cast<int64_t>(count), s.channels, s.height, s.width});
  float* dst = batch.data_ptr<float>();
  for (size_t i = 0; i < count; ++i) std::memcpy(dst + i * per, images.image(indices[first + i]), per * sizeof(float));
  return batch;
}

torch::Tensor labelsOf(const std::vector<int>& labels, const std::vector<int>& indices, size_t first, size_t count) {
  torch::Tensor t = torch::empty({static_cast<int64_t>(count)});
  for (size_t i = 0; i < count; ++i) t[static_cast<int64_t>(i)] = static_cast<float>(labels[indices[first + i]]);
  return t;
}

// The outputs (N x K, row-major) for `indices` in eval mode.
std::vector<double> outputsOf(torch::jit::Module& m, const LabelledImages& data, const std::vector<int>& indices,
                              int batch) {
  torch::NoGradGuard noGrad;
  std::vector<double> out;
  for (size_t first = 0; first < indices.size(); first += batch) {
    const size_t n = std::min(indices.size() - first, static_cast<size_t>(batch));
    const torch::Tensor y =
        m.forward({gather(data.images, indices, first, n)}).toTensor().reshape({-1}).contiguous().to(torch::kFloat64);
    out.insert(out.end(), y.data_ptr<double>(), y.data_ptr<double>() + y.numel());
  }
  return out;
}

// The rows of `values` (N x P) picked by `indices`, as a float tensor (count x P).
torch::Tensor targetsOf(const std::vector<double>& values, int parameters, const std::vector<int>& indices,
                        size_t first, size_t count) {
  torch::Tensor t = torch::empty({static_cast<int64_t>(count), parameters});
  float* dst = t.data_ptr<float>();
  for (size_t i = 0; i < count; ++i)
    for (int p = 0; p < parameters; ++p)
      dst[i * static_cast<size_t>(parameters) + static_cast<size_t>(p)] = static_cast<float>(
          values[static_cast<size_t>(indices[first + i]) * static_cast<size_t>(parameters) + static_cast<size_t>(p)]);
  return t;
}

// The moment-network loss on outputs y = [means, sigmas] (count x 2P) against the targets
// (count x P), residuals and sigmas in units of each parameter's spread `scale`.
torch::Tensor momentLoss(const torch::Tensor& y, const torch::Tensor& targets, const torch::Tensor& scale) {
  const int64_t p = targets.size(1);
  const torch::Tensor r = (targets - y.slice(1, 0, p)) / scale, sigma = y.slice(1, p, 2 * p) / scale;
  const torch::Tensor r2 = r * r;
  const torch::Tensor first = torch::log(torch::mean(r2, 0) + 1e-12);
  const torch::Tensor second = torch::log(torch::mean((r2 - sigma * sigma).pow(2), 0) + 1e-12);
  return torch::sum(first + second);
}

TrainingReport trainImpl(const LabelledImages& data, const ModelCard& card, const TrainingOptions& o,
                         const std::filesystem::path& modelPath, Progress& progress);

// A NaN or infinite loss never recovers: stop at once with what to change, instead of training on.
[[noreturn]] void throwDiverged(int epoch, long long step, double value, double lr, const TrainingReport& report,
                                const char* what = "loss") {
  std::ostringstream m;
  m << "training diverged at epoch " << epoch << ", step " << step << ": a " << what << " is " << value
    << " (learning rate " << lr << "; try a smaller --lr)";
  if (report.bestEpoch > 0) m << "; the checkpoint of epoch " << report.bestEpoch << " is kept";
  throw SkyError(ErrorKind::InvalidData, m.str());
}

}  // namespace

TrainingReport trainNetwork(const LabelledImages& data, const ModelCard& card, const TrainingOptions& o,
                            const std::filesystem::path& modelPath, Progress& progress) {
  try {
    return trainImpl(data, card, o, modelPath, progress);
  } catch (const c10::Error& e) {
    throw SkyError(ErrorKind::Internal, std::string("training failed in LibTorch: ") + e.what_without_backtrace());
  }
}

namespace {
TrainingReport trainImpl(const LabelledImages& data, const ModelCard& card, const TrainingOptions& o,
                         const std::filesystem::path& modelPath, Progress& progress) {
  if (o.epochs < 1 || o.batchSize < 1 || !(o.learningRate > 0) ||
      !(o.validationFraction > 0 && o.validationFraction < 1) || o.earlyStoppingPatience < 1 || o.plateauPatience < 1 ||
      !(o.plateauFactor > 0 && o.plateauFactor <= 1) || !(o.dropout >= 0 && o.dropout < 1)) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "training options out of range (epochs, batch size >= 1; 0 < learning rate; "
                   "0 < validation fraction < 1; 0 <= dropout < 1)");
  }
  const int n = data.images.count;
  if (n < 4 || static_cast<int>(data.labels.size()) != n)
    throw SkyError(ErrorKind::InvalidData, "need at least 4 labelled images");
  torch::manual_seed(o.seed);
  if (o.threads > 0) at::set_num_threads(o.threads);
  const bool regression = !o.regressionTargets.empty();
  const int parameters = static_cast<int>(o.regressionTargets.size());
  const std::vector<double> targets = regression ? parameterValues(data, o.regressionTargets) : std::vector<double>{};

  // Classes: a stratified split, the same validation fraction of each. Regression: one group.
  std::mt19937_64 rng(o.seed);
  std::vector<int> train, validation;
  for (int label : regression ? std::vector<int>{-1} : std::vector<int>{0, 1}) {
    std::vector<int> members;
    for (int i = 0; i < n; ++i)
      if (regression || data.labels[i] == label) members.push_back(i);
    std::shuffle(members.begin(), members.end(), rng);
    const int nv = std::max(1, static_cast<int>(std::lround(o.validationFraction * members.size())));
    if (static_cast<int>(members.size()) < nv + 1) {
      throw SkyError(ErrorKind::InvalidData, regression ? "regression needs at least 2 images"
                                                        : "each class needs at least 2 images (class " +
                                                              std::to_string(label) + " has " +
                                                              std::to_string(members.size()) + ")");
    }
    validation.insert(validation.end(), members.begin(), members.begin() + nv);
    train.insert(train.end(), members.begin() + nv, members.end());
  }
  std::vector<int> validationLabels;
  for (int i : validation) validationLabels.push_back(data.labels[i]);

  // Regression targets are learnt in units of their training spread (mean and std).
  std::vector<float> targetMean(static_cast<size_t>(parameters), 0.0f),
      targetScale(static_cast<size_t>(parameters), 1.0f);
  for (int p = 0; p < parameters; ++p) {
    double sum = 0, sum2 = 0;
    for (int i : train) {
      const double v = targets[static_cast<size_t>(i) * parameters + static_cast<size_t>(p)];
      sum += v;
      sum2 += v * v;
    }
    const double mean = sum / static_cast<double>(train.size());
    const double var = sum2 / static_cast<double>(train.size()) - mean * mean;
    if (!(var > 0)) {
      throw SkyError(ErrorKind::InvalidData, "the parameter '" + o.regressionTargets[static_cast<size_t>(p)] +
                                                 "' does not vary over the training images (simulate --vary it)");
    }
    targetMean[static_cast<size_t>(p)] = static_cast<float>(mean);
    targetScale[static_cast<size_t>(p)] = static_cast<float>(std::sqrt(var));
  }
  const torch::Tensor scale =
      regression ? torch::tensor(targetScale, torch::kFloat32).reshape({1, parameters}) : torch::ones({1, 1});
  const Head head = regression ? regressionHead(targetMean, targetScale) : Head{};

  torch::jit::Module m;
  if (o.architecture == Architecture::Cnn) {
    m = buildCnn(data.images.shape, o, head);
  } else {
    const size_t per = static_cast<size_t>(data.images.shape.size());
    std::vector<float> rows;
    rows.reserve(train.size() * per);
    for (int i : train) rows.insert(rows.end(), data.images.image(i), data.images.image(i) + per);
    const int k = std::min({o.components, static_cast<int>(train.size()), static_cast<int>(per)});
    m = buildPcaMlp(data.images.shape,
                    principalComponents(rows.data(), static_cast<int>(train.size()), static_cast<int>(per), k, o.seed),
                    o, head);
  }
  std::vector<torch::Tensor> params;
  for (const auto& p : m.parameters()) params.push_back(p);
  double lr = o.learningRate;
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(lr));

  TrainingReport report;
  report.trainCount = static_cast<int>(train.size());
  report.validationCount = static_cast<int>(validation.size());
  const long long stepsPerEpoch = (static_cast<long long>(train.size()) + o.batchSize - 1) / o.batchSize;
  int sinceBest = 0, sincePlateau = 0;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    m.train(true);
    std::shuffle(train.begin(), train.end(), rng);
    double lossSum = 0.0;
    for (size_t first = 0, step = 0; first < train.size(); first += o.batchSize, ++step) {
      const size_t count = std::min(train.size() - first, static_cast<size_t>(o.batchSize));
      if (count < 2 && o.architecture == Architecture::Cnn) continue;  // batch norm needs two samples
      const torch::Tensor y = m.forward({gather(data.images, train, first, count)}).toTensor();
      const torch::Tensor loss = regression ? momentLoss(y, targetsOf(targets, parameters, train, first, count), scale)
                                            : torch::binary_cross_entropy_with_logits(
                                                  y.reshape({-1}), labelsOf(data.labels, train, first, count));
      const double lossValue = loss.item<double>();
      if (!std::isfinite(lossValue)) throwDiverged(epoch, static_cast<long long>(step) + 1, lossValue, lr, report);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      lossSum += lossValue * static_cast<double>(count);
      progress.report((epoch - 1) * stepsPerEpoch + static_cast<long long>(step) + 1, o.epochs * stepsPerEpoch,
                      "epoch " + std::to_string(epoch) + "/" + std::to_string(o.epochs));
    }
    m.train(false);
    const std::vector<double> scores = outputsOf(m, data, validation, std::max(o.batchSize, 64));
    for (double z : scores) {
      if (!std::isfinite(z)) throwDiverged(epoch, stepsPerEpoch, z, lr, report, "validation output");
    }
    EpochLog log;
    log.epoch = epoch;
    log.trainLoss = lossSum / static_cast<double>(train.size());
    log.learningRate = lr;
    if (regression) {
      torch::NoGradGuard noGrad;
      const torch::Tensor y =
          torch::from_blob(const_cast<double*>(scores.data()),
                           {static_cast<int64_t>(validation.size()), 2 * parameters}, torch::kFloat64)
              .to(torch::kFloat32);
      log.validationLoss =
          momentLoss(y, targetsOf(targets, parameters, validation, 0, validation.size()), scale).item<double>();
      double r2 = 0;
      for (int p = 0; p < parameters; ++p) {
        std::vector<double> truth, mean;
        for (size_t i = 0; i < validation.size(); ++i) {
          truth.push_back(targets[static_cast<size_t>(validation[i]) * parameters + static_cast<size_t>(p)]);
          mean.push_back(scores[i * 2 * static_cast<size_t>(parameters) + static_cast<size_t>(p)]);
        }
        r2 += regressionMetrics(truth, mean).r2;
      }
      log.validationScore = r2 / parameters;
      report.scoreName = "mean R^2";
    } else {
      double validationLoss = 0.0;
      for (size_t i = 0; i < scores.size(); ++i) {
        const double z = scores[i], t = validationLabels[i];
        validationLoss += std::max(z, 0.0) - z * t + std::log1p(std::exp(-std::abs(z)));
      }
      log.validationLoss = validationLoss / static_cast<double>(scores.size());
      log.validationScore = rocAuc(scores, validationLabels);
    }
    report.history.push_back(log);
    char summary[96];
    std::snprintf(summary, sizeof summary, "epoch %d/%d done: validation %s %.4f", epoch, o.epochs, report.scoreName,
                  log.validationScore);
    if (log.validationScore > report.bestValidationScore + 1e-12 || report.bestEpoch < 0) {
      report.bestValidationScore = log.validationScore;
      report.bestEpoch = epoch;
      sinceBest = sincePlateau = 0;
      writeAtomically(modelPath, Overwrite::Allow, [&](const std::filesystem::path& temp) { m.save(temp.string()); });
      std::filesystem::path cardPath = modelPath;
      cardPath.replace_extension(".json");
      ModelCard saved = card;
      std::ostringstream d;
      d << (o.architecture == Architecture::Cnn ? "CNN" : "PCA-MLP") << (regression ? " regression" : " classifier")
        << " trained by SkyInterpret: best validation " << report.scoreName << " " << log.validationScore
        << " at epoch " << epoch << " (" << train.size() << " training, " << validation.size()
        << " validation images). ";
      if (regression) {
        saved.task = ModelTask::Regression;
        saved.targets = o.regressionTargets;
        saved.sigmaOutputs = true;
        saved.outputsAreLogits = false;
        saved.outputNames = o.regressionTargets;
        for (const auto& t : o.regressionTargets) saved.outputNames.push_back("sigma_" + t);
        d << "Outputs: the posterior mean of each parameter, then its standard deviation (moment network).";
      } else {
        d << "Output: logit of the feature class (label 1) against LambdaCDM (label 0).";
      }
      saved.description = d.str();
      writeModelCard(saved, cardPath);
    } else if (++sinceBest >= o.earlyStoppingPatience) {
      report.stoppedEarly = true;
      break;
    } else if (++sincePlateau >= o.plateauPatience) {
      lr *= o.plateauFactor;  // reduce on plateau
      for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      sincePlateau = 0;
    }
    // Every finished epoch is reported (not rate-limited); the checkpoint is already on disk.
    progress.report(epoch * stepsPerEpoch, o.epochs * stepsPerEpoch, summary, true);
  }
  return report;
}
}  // namespace

}  // namespace sky
