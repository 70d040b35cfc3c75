#include <algorithm>
#include <cmath>
#include <numeric>

#include "TestModels.h"
#include "TestSupport.h"
#include "analysis/SanityChecks.h"
#include "model/ModelRandomisation.h"

using namespace sky;
using skytest::FunctionModel;

TEST(SanityChecks, SpearmanAndSsimEqualScipyAndSkimageFormulas) {
  const std::vector<double> a = {3.0, 1.0, 2.0, 2.0, 5.0, -1.0, 0.5}, b = {1.0, 0.0, 2.0, 3.0, 3.0, -2.0, 1.5};
  EXPECT_NEAR(spearmanCorrelation(a, b), 0.6636363636363637, 1e-12);  // scipy.stats.spearmanr, ties averaged
  // skimage.metrics.structural_similarity's formula (7x7 uniform window, sample covariance,
  // data_range 1), computed with numpy and scipy.ndimage.uniform_filter on the same images.
  std::vector<double> x(72), y(72);
  for (size_t k = 0; k < 72; ++k) {
    x[k] = 0.5 + 0.5 * std::sin(1.3 * static_cast<double>(k));
    y[k] = std::clamp(x[k] + 0.2 * std::sin(2.7 * static_cast<double>(k) + 1), 0.0, 1.0);
  }
  EXPECT_NEAR(structuralSimilarity(x, y, 8, 9), 0.9332713016313584, 1e-12);
  EXPECT_NEAR(structuralSimilarity(x, x, 8, 9), 1.0, 1e-12);
  skytest::expectSkyError([&] { structuralSimilarity(a, b, 1, 7); }, ErrorKind::InvalidArgument, "7x7");
}

TEST(SanityChecks, ComparisonSeesSignAndRank) {
  const auto v = skytest::randomValues(2 * 10 * 12, 4);
  const Image a(2, 10, 12, v);
  Image negated = a;
  for (double& x : negated.data()) x = -x;
  const AttributionSimilarity same = compareAttributions(a, a, 0.1), flipped = compareAttributions(a, negated, 0.1);
  EXPECT_NEAR(same.spearman, 1.0, 1e-12);
  EXPECT_NEAR(same.ssim, 1.0, 1e-12);
  EXPECT_EQ(same.topOverlap, 1.0);
  EXPECT_NEAR(flipped.spearman, -1.0, 1e-12);
  EXPECT_NEAR(flipped.spearmanAbs, 1.0, 1e-12);
  EXPECT_EQ(flipped.topOverlap, 1.0);
  const Image other(2, 10, 12, skytest::randomValues(2 * 10 * 12, 5));
  const AttributionSimilarity unrelated = compareAttributions(a, other, 0.1);
  EXPECT_LT(std::abs(unrelated.spearman), 0.3);
  EXPECT_LT(unrelated.topOverlap, 0.5);
}

// The cascade on a model whose weights each randomisation step replaces: step 0 gives 1, the
// steps name their layers, and similarity falls once the weights are random.
TEST(SanityChecks, CascadeComparesEachStepWithTheOriginal) {
  const ImageShape shape{1, 8, 8};
  const auto trained = skytest::randomValues(64, 1);
  const RandomisedModel models = [&](int k) {
    const auto w = k == 0 ? trained : skytest::randomValues(64, 100 + static_cast<unsigned>(k));
    return std::make_unique<FunctionModel>(
        shape, 1,
        [w](const std::vector<double>& x) {
          return std::vector<double>{std::inner_product(w.begin(), w.end(), x.begin(), 0.0)};
        },
        [w](const std::vector<double>&, int) { return w; });
  };
  const ExplainTarget gradient = [&](Model& m, int target) {
    std::vector<float> x(64, 0.5f), g(64);
    m.gradient(x, 1, Layout::NCHW, target, g, {});
    return Image(1, 8, 8, std::vector<double>(g.begin(), g.end()));
  };
  Progress progress;
  const auto unchanged = models(0);
  const auto steps =
      cascadingRandomisation({"fc (Linear)", "conv (Conv2d)"}, *unchanged, models, gradient, 0, 0.1, progress);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].layer, "none");
  EXPECT_NEAR(steps[0].similarity.spearman, 1.0, 1e-12);
  EXPECT_EQ(steps[2].layer, "conv (Conv2d)");
  EXPECT_LT(steps[1].similarity.spearman, 0.5);
  FunctionModel one(shape, 1, [](const std::vector<double>&) { return std::vector<double>{0.0}; });
  EXPECT_FALSE(randomLogitTest(one, gradient, 0, 1, 0.1).has_value());
}

// Randomising the demo model: no layer leaves it as saved, every layer changes its outputs,
// the same seed gives the same copy.
TEST(SanityChecks, RandomisedCopiesOfTheDemoModel) {
  const std::string path = SKY_RESOURCES_DIR "/demo/demo_model.pt";
  const auto layers = parameterisedLayers(path);
  ASSERT_GE(layers.size(), 3u);
  EXPECT_EQ(layers.front(), "d2 (linear)");  // the output layer first; `train` keeps tensors on the root
  EXPECT_EQ(layers.back(), "c1 (convolution)");
  EXPECT_EQ(parameterisedLayers(SKY_TEST_DATA_DIR "/models/cnn1.pt"),
            (std::vector<std::string>{"fc (Linear)", "conv2 (Conv2d)", "conv1 (Conv2d)"}));
  const auto original = loadTorchScriptModel(path);
  const ImageShape s = original->inputShape();
  const auto x = skytest::randomValues(static_cast<size_t>(s.size()), 2);
  const std::vector<float> input(x.begin(), x.end());
  const auto outputOf = [&](Model& m) {
    std::vector<double> y(static_cast<size_t>(m.outputCount()));
    m.evaluate(input, 1, Layout::NCHW, y);
    return y[0];
  };
  const double y0 = outputOf(*original);
  EXPECT_EQ(outputOf(*loadRandomisedModel(path, 0, 7)), y0);
  const double all = outputOf(*loadRandomisedModel(path, static_cast<int>(layers.size()), 7));
  EXPECT_NE(all, y0);
  EXPECT_EQ(outputOf(*loadRandomisedModel(path, static_cast<int>(layers.size()), 7)), all);
  EXPECT_NE(outputOf(*loadRandomisedModel(path, 1, 7)), y0);
  skytest::expectSkyError([&] { loadRandomisedModel(path, 99, 7); }, ErrorKind::InvalidArgument, "cannot randomise 99");
}
