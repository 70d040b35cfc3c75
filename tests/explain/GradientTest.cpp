#include "TestModels.h"
#include "TestSupport.h"
#include "explain/GradientExplainers.h"
#include "explain/Occlusion.h"

using namespace sky;
using skytest::batchFromNchw;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::FunctionModel;
using skytest::randomValues;

namespace {

ImageBatch referenceInputs() {
  const NpyArray x = readNpy(dataPath("models/x_cnn1_nchw.npy"));
  return batchFromNchw({1, 32, 64}, x.values);
}

std::unique_ptr<Model> cnn1() { return loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}}); }

// f = sum_i w_i x_i^2 with its exact gradient.
FunctionModel quadraticModel(ImageShape shape, const std::vector<double>& w) {
  return FunctionModel(
      shape, 1,
      [w](const std::vector<double>& x) {
        double s = 0;
        for (size_t i = 0; i < x.size(); ++i) s += w[i] * x[i] * x[i];
        return std::vector<double>{s};
      },
      [w](const std::vector<double>& x, int) {
        std::vector<double> g(x.size());
        for (size_t i = 0; i < x.size(); ++i) g[i] = 2 * w[i] * x[i];
        return g;
      });
}

}  // namespace

TEST(Quadrature, GaussLegendreMatchesKnownNodes) {
  std::vector<double> x, w;
  legendreGauss(3, x, w);
  EXPECT_NEAR(x[0], -std::sqrt(0.6), 1e-15);
  EXPECT_NEAR(x[1], 0.0, 1e-15);
  EXPECT_NEAR(w[0], 5.0 / 9.0, 1e-15);
  EXPECT_NEAR(w[1], 8.0 / 9.0, 1e-15);
  legendreGauss(50, x, w);
  double sum = 0;
  for (double v : w) sum += v;
  EXPECT_NEAR(sum, 2.0, 1e-13);
  for (size_t i = 1; i < x.size(); ++i) EXPECT_LT(x[i - 1], x[i]);
}

TEST(Saliency, ReproducesCaptumReference) {
  auto model = cnn1();
  SaliencyOptions options;
  Progress progress;
  const Attribution a = explainSaliency(*model, referenceInputs(), options, progress);
  const auto ref = readNpy(dataPath("captum/cnn1_saliency_abs_t0.npy"));
  EXPECT_LT(skytest::relativeError(a.values, ref.values), 1e-5);
}

TEST(IntegratedGradients, ReproducesCaptumReferenceAndDelta) {
  auto model = cnn1();
  IntegratedGradientsOptions options;
  options.batchSize = 17;  // chunking must not change the result
  Progress progress;
  const Attribution a = explainIntegratedGradients(*model, referenceInputs(), options, progress);
  const auto ref = readNpy(dataPath("captum/cnn1_ig_gl50_t0.npy"));
  EXPECT_LT(skytest::relativeError(a.values, ref.values), 1e-5);
  const auto delta = readNpy(dataPath("captum/cnn1_ig_gl50_t0_delta.npy"));
  for (int n = 0; n < 3; ++n) EXPECT_NEAR(a.convergenceDelta[n], delta.values[n], 1e-5);
  EXPECT_EQ(a.modelRowsEvaluated, 3 + 3 + 150);
}

TEST(IntegratedGradients, ExactOnQuadraticsAndCompleteness) {
  const ImageShape shape{2, 3, 4};
  const auto w = randomValues(24, 1), x = randomValues(24, 2);
  auto model = quadraticModel(shape, w);
  Progress progress;
  IntegratedGradientsOptions gl;
  gl.steps = 2;  // Gauss-Legendre with 2 nodes integrates the linear gradient exactly
  const Attribution a = explainIntegratedGradients(model, batchFromNchw(shape, x), gl, progress);
  for (size_t i = 0; i < 24; ++i) {
    const double xi = static_cast<float>(x[i]);
    EXPECT_NEAR(a.values[i], w[i] * xi * xi, 1e-6);
  }
  EXPECT_NEAR(a.convergenceDelta[0], 0.0, 1e-5);
  IntegratedGradientsOptions left;
  left.steps = 10;
  left.rule = QuadratureRule::RiemannLeft;  // sum_k (1/n) 2w(k/n)x*x = w x^2 (n-1)/n
  const Attribution l = explainIntegratedGradients(model, batchFromNchw(shape, x), left, progress);
  for (size_t i = 0; i < 24; ++i) {
    const double xi = static_cast<float>(x[i]);
    EXPECT_NEAR(l.values[i], w[i] * xi * xi * 0.9, 1e-6);
  }
  IntegratedGradientsOptions trapezoid;
  trapezoid.steps = 7;
  trapezoid.rule = QuadratureRule::RiemannTrapezoid;
  const Attribution t = explainIntegratedGradients(model, batchFromNchw(shape, x), trapezoid, progress);
  EXPECT_NEAR(t.convergenceDelta[0], 0.0, 1e-5);
}

TEST(IntegratedGradients, CompletenessOnTheCnnWithABaselineImage) {
  auto model = cnn1();
  IntegratedGradientsOptions options;
  options.steps = 200;
  options.baselines = batchFromNchw({1, 32, 64}, std::vector<double>(2048, 0.3));
  Progress progress;
  const Attribution a = explainIntegratedGradients(*model, referenceInputs(), options, progress);
  for (int n = 0; n < 3; ++n) {
    EXPECT_LT(std::abs(a.convergenceDelta[n]), 2e-3 * std::abs(a.outputs[n] - a.baseValues[n]) + 1e-5);
  }
}

TEST(GradientShap, CompleteInExpectationAndSeeded) {
  const ImageShape shape{1, 3, 5};
  const auto w = randomValues(15, 4);
  FunctionModel model(
      shape, 1,
      [w](const std::vector<double>& x) {
        double s = 0;
        for (size_t i = 0; i < x.size(); ++i) s += w[i] * std::sin(x[i]);
        return std::vector<double>{s};
      },
      [w](const std::vector<double>& x, int) {
        std::vector<double> g(x.size());
        for (size_t i = 0; i < x.size(); ++i) g[i] = w[i] * std::cos(x[i]);
        return g;
      });
  GradientShapOptions options;
  options.samples = 20000;
  options.batchSize = 500;
  options.baselines = batchFromNchw(shape, randomValues(45, 5));  // three baselines
  options.seed = 42;
  Progress progress;
  const ImageBatch x = batchFromNchw(shape, randomValues(15, 6));
  const Attribution a = explainGradientShap(model, x, options, progress);
  EXPECT_NEAR(a.total(0, 0), a.outputs[0] - a.baseValues[0], 0.03 * std::abs(a.outputs[0] - a.baseValues[0]) + 0.02);
  const Attribution again = explainGradientShap(model, x, options, progress);
  EXPECT_EQ(a.values, again.values);
  options.seed = 43;
  EXPECT_NE(explainGradientShap(model, x, options, progress).values, a.values);
  options.baselines = ImageBatch{shape, 0, {}};
  expectSkyError([&] { explainGradientShap(model, x, options, progress); }, ErrorKind::InvalidArgument,
                 "at least one baseline");
}

TEST(NoiseTunnel, IdentitiesOfSmoothGradAndVarGrad) {
  auto model = cnn1();
  Progress progress;
  const ImageBatch x = referenceInputs();
  NoiseTunnelOptions noiseless;
  noiseless.stdev = 0.0;
  const Attribution sg = explainNoiseTunnel(*model, x, noiseless, progress);
  const Attribution sal = explainSaliency(*model, x, SaliencyOptions{}, progress);
  EXPECT_LT(skytest::relativeError(sg.values, sal.values), 1e-6);
  noiseless.kind = NoiseTunnelKind::VarGrad;
  for (double v : explainNoiseTunnel(*model, x, noiseless, progress).values) ASSERT_NEAR(v, 0.0, 1e-12);
  // A linear model has the same gradient everywhere: noise cannot change SmoothGrad.
  const ImageShape shape{1, 2, 3};
  const auto w = randomValues(6, 8);
  FunctionModel linear(
      shape, 1,
      [w](const std::vector<double>& v) {
        double s = 0;
        for (size_t i = 0; i < v.size(); ++i) s += w[i] * v[i];
        return std::vector<double>{s};
      },
      [w](const std::vector<double>&, int) { return w; });
  NoiseTunnelOptions noisy;
  noisy.stdev = 2.0;
  noisy.samples = 7;
  const Attribution l = explainNoiseTunnel(linear, batchFromNchw(shape, randomValues(6, 9)), noisy, progress);
  for (size_t i = 0; i < 6; ++i) EXPECT_NEAR(l.values[i], std::abs(w[i]), 1e-6);
}

TEST(Occlusion, MatchesADirectComputation) {
  const ImageShape shape{1, 5, 6};
  const auto w = randomValues(30, 10), x = randomValues(30, 11);
  FunctionModel model(shape, 1, [w](const std::vector<double>& v) {
    double s = 0;
    for (size_t i = 0; i < v.size(); ++i) s += w[i] * v[i] * v[i];
    return std::vector<double>{s};
  });
  OcclusionOptions options;
  options.window = {1, 2, 3};
  options.strides = {1, 1, 2};
  options.batchSize = 4;
  Progress progress;
  const Attribution a = explainOcclusion(model, batchFromNchw(shape, x), options, progress);
  // Direct: windows at h = 0..3, w = 0, 2 (since (6-3)//2 + 1 = 2); drop = sum over window of w x^2.
  std::vector<double> sum(30, 0.0), count(30, 0.0);
  for (int h0 = 0; h0 <= 3; ++h0)
    for (int w0 = 0; w0 <= 2; w0 += 2) {
      double drop = 0;
      for (int h = h0; h < h0 + 2; ++h)
        for (int c = w0; c < w0 + 3; ++c)
          drop += w[h * 6 + c] * static_cast<float>(x[h * 6 + c]) * static_cast<float>(x[h * 6 + c]);
      for (int h = h0; h < h0 + 2; ++h)
        for (int c = w0; c < w0 + 3; ++c) {
          sum[h * 6 + c] += drop;
          count[h * 6 + c] += 1;
        }
    }
  for (size_t i = 0; i < 30; ++i) EXPECT_NEAR(a.values[i], count[i] > 0 ? sum[i] / count[i] : 0.0, 1e-9) << i;
  EXPECT_EQ(a.modelRowsEvaluated, 1 + 8);
  options.window = {1, 9, 1};
  expectSkyError([&] { explainOcclusion(model, batchFromNchw(shape, x), options, progress); },
                 ErrorKind::InvalidArgument, "must fit inside");
}

TEST(GradientMethods, RejectBadInput) {
  auto model = cnn1();
  Progress progress;
  ImageBatch x = referenceInputs();
  IntegratedGradientsOptions steps;
  steps.steps = 0;
  expectSkyError([&] { explainIntegratedGradients(*model, x, steps, progress); }, ErrorKind::InvalidArgument, "steps");
  SaliencyOptions target;
  target.targets = TargetSelection::parse("3");
  expectSkyError([&] { explainSaliency(*model, x, target, progress); }, ErrorKind::InvalidArgument, "does not exist");
  x.nchw[10] = std::numeric_limits<float>::infinity();
  expectSkyError([&] { explainSaliency(*model, x, SaliencyOptions{}, progress); }, ErrorKind::InvalidData, "infinite");
}
