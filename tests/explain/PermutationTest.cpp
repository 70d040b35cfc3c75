#include "ShapFixtures.h"
#include "TestSupport.h"
#include "explain/PermutationExplainer.h"
#include "model/Model.h"
#include "stats/NumpyRandom.h"

using namespace sky;
using skytest::dataPath;
using skytest::fromChannelLast;

// The values numpy 1.24 gives (Debian 12): np.random.seed(7); np.random.randn(5);
// np.random.random_sample(). The fifth Gaussian is the first of a new polar pair, and the
// uniform after it follows the pair's two draws.
TEST(NumpyRandom, ReproducesNumpysLegacyStream) {
  NumpyLegacyRandom r(7);
  const double expected[] = {1.690525703800356, -0.4659373705408328, 0.0328201636785844, 0.40751628299650783,
                             -0.7889230286257386};
  for (double e : expected) EXPECT_DOUBLE_EQ(r.gauss(), e);
  EXPECT_DOUBLE_EQ(r.uniform(), 0.26843898010187117);
  NumpyLegacyRandom s(3);  // np.random.seed(3); np.random.random_sample() twice
  EXPECT_DOUBLE_EQ(s.uniform(), 0.5507979025745755);
  EXPECT_DOUBLE_EQ(s.uniform(), 0.7081478226181048);
}

// shap.Explainer(f, Image(0, shape=(32,64,1)), algorithm="permutation", seed=3)(X[:2],
// max_evals=4500, batch_size=32): one tree-consistent permutation per image (4500 // 4097),
// the generator running on from the first image to the second.
TEST(Permutation, ReproducesShapReference) {
  auto model = loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}});
  const ImageBatch batch = fromChannelLast(readNpy(dataPath("shap/x_cnn1.npy")), 2);
  PermutationOptions options;
  options.maxEvals = 4500;
  options.batchSize = 32;
  options.seed = 3;
  Progress progress;
  const Attribution a = explainPermutation(*model, batch, options, progress);
  const auto refValues = readNpy(dataPath("shap/cnn1_perm_mask0_e4500_seed3_values.npy"));  // (2,32,64,1)
  const auto refBase = readNpy(dataPath("shap/cnn1_perm_mask0_e4500_seed3_base_values.npy"));
  ASSERT_EQ(a.values.size(), refValues.values.size());  // C = K = 1: the same memory order
  EXPECT_LT(skytest::relativeError(a.values, refValues.values), 1e-4);
  EXPECT_LT(skytest::relativeError(a.baseValues, refBase.values), 1e-6);
  EXPECT_EQ(a.modelRowsEvaluated, 2LL * (2 * 2048 + 1));
  std::printf("permutation vs shap: values differ by %.2e of max|value|\n",
              skytest::relativeError(a.values, refValues.values));
  // Efficiency: a walk forward and back sums to f(x) - f(masked) for every permutation.
  for (int n = 0; n < 2; ++n) EXPECT_NEAR(a.total(n, 0), a.outputs[n] - a.baseValues[n], 1e-5) << n;
  // Another seed gives other values (the order matters for this non-additive model).
  options.seed = 4;
  const Attribution b = explainPermutation(*model, batch, options, progress);
  EXPECT_GT(skytest::relativeError(b.values, refValues.values), 1e-3);
}

TEST(Permutation, TooSmallABudgetIsShapsError) {
  auto model = loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}});
  const ImageBatch batch = fromChannelLast(readNpy(dataPath("shap/x_cnn1.npy")), 1);
  PermutationOptions options;
  options.maxEvals = 4096;
  Progress progress;
  skytest::expectSkyError([&] { explainPermutation(*model, batch, options, progress); }, ErrorKind::InvalidArgument,
                          "at least 2 * features + 1 = 4097");
}

// Inpainting goes through the same walk: efficiency holds, and the values are the masker's own.
TEST(Permutation, InpaintingMaskerKeepsEfficiency) {
  auto model = loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}});
  const ImageBatch batch = fromChannelLast(readNpy(dataPath("shap/x_cnn1.npy")), 1);
  PermutationOptions options;
  options.seed = 3;
  Progress progress;
  const Attribution zero = explainPermutation(*model, batch, options, progress);
  options.masker = MaskerSpec::parse("inpaint_telea");
  const Attribution inpaint = explainPermutation(*model, batch, options, progress);
  EXPECT_NEAR(inpaint.total(0, 0), inpaint.outputs[0] - inpaint.baseValues[0], 1e-5);
  EXPECT_GT(skytest::relativeError(inpaint.values, zero.values), 1e-2);
  EXPECT_NE(inpaint.baseValues[0], zero.baseValues[0]);
}
