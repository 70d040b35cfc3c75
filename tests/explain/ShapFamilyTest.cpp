// The SHAP family against fixtures written with shap 0.52 (tools/fixtures/make_shap_family_fixtures.py):
// other models, channel counts, outputs, budgets, seeds and maskers than the shared reference's.
#include "ShapFixtures.h"
#include "TestSupport.h"
#include "explain/PartitionExplainer.h"
#include "explain/PermutationExplainer.h"
#include "model/Model.h"

using namespace sky;
using skytest::dataPath;
using skytest::fromChannelLast;

namespace {

struct Reference {
  std::vector<double> values, baseValues;
};

Reference reference(const std::string& name) {
  return {skytest::toAttributionOrder(readNpy(dataPath("shap/" + name + "_values.npy"))),
          readNpy(dataPath("shap/" + name + "_base_values.npy")).values};
}

void expectEqualsShap(const Attribution& a, const Reference& r, const std::string& name) {
  ASSERT_EQ(a.values.size(), r.values.size()) << name;
  const double err = skytest::relativeError(a.values, r.values);
  EXPECT_LT(err, 1e-4) << name;
  EXPECT_LT(skytest::relativeError(a.baseValues, r.baseValues), 1e-6) << name;
  std::printf("%s vs shap: values differ by %.2e of max|value|\n", name.c_str(), err);
  for (int n = 0; n < a.images; ++n)
    for (int k = 0; k < a.targetsPerImage; ++k)
      EXPECT_NEAR(a.total(n, k),
                  a.outputs[static_cast<size_t>(n * a.targetsPerImage + k)] -
                      a.baseValues[static_cast<size_t>(n * a.targetsPerImage + k)],
                  1e-4 * (1 + std::abs(a.outputs[static_cast<size_t>(n * a.targetsPerImage + k)])))
          << name << " efficiency " << n << " " << k;
}

std::unique_ptr<Model> cnn3() {
  return loadTorchScriptModel(dataPath("models/cnn3_two.pt").string(), {1, {3, 16, 32}});
}
std::unique_ptr<Model> cnn1() { return loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}}); }

}  // namespace

// Three channels, two outputs, a constant masker of 0.5, two permutations per image, seed 7.
TEST(ShapFamily, PermutationOfAThreeChannelTwoOutputModel) {
  auto model = cnn3();
  PermutationOptions o;
  o.maxEvals = 7000;
  o.batchSize = 16;
  o.seed = 7;
  o.masker = MaskerSpec::parse("value:0.5");
  Progress progress;
  const Attribution a = explainPermutation(*model, fromChannelLast(readNpy(dataPath("shap/x_cnn3.npy"))), o, progress);
  EXPECT_EQ(a.targetsPerImage, 2);
  expectEqualsShap(a, reference("cnn3_perm_value05_e7000_seed7"), "permutation, 3 channels, 2 outputs");
  EXPECT_EQ(a.modelRowsEvaluated, 2LL * 2 * (2 * 1536 + 1));
}

// Another budget (two permutations), seed and batch size, on images 1 and 2 of shap's X.
TEST(ShapFamily, PermutationWithAnotherSeedAndBudget) {
  auto model = cnn1();
  ImageBatch x = fromChannelLast(readNpy(dataPath("shap/x_cnn1.npy")));
  ImageBatch two{x.shape, 2, std::vector<float>(x.nchw.begin() + x.shape.size(), x.nchw.end())};
  PermutationOptions o;
  o.maxEvals = 9000;
  o.batchSize = 50;
  o.seed = 11;
  Progress progress;
  expectEqualsShap(explainPermutation(*model, two, o, progress), reference("cnn1_perm_mask0_e9000_seed11"),
                   "permutation, seed 11, 9000 evaluations");
}

// Navier-Stokes inpainting in the permutation walk; one image, so shap's row count is the
// algorithm's own (4097 = 2 * 2048 + 1).
TEST(ShapFamily, PermutationWithNavierStokesInpainting) {
  auto model = cnn1();
  PermutationOptions o;
  o.maxEvals = 4097;
  o.seed = 5;
  o.masker = MaskerSpec::parse("inpaint_ns");
  Progress progress;
  const Attribution a =
      explainPermutation(*model, fromChannelLast(readNpy(dataPath("shap/x_cnn1.npy")), 1), o, progress);
  expectEqualsShap(a, reference("cnn1_perm_ns_e4097_seed5"), "permutation, inpaint_ns");
  EXPECT_EQ(a.modelRowsEvaluated, 4097);
}

// Telea inpainting of three-channel 8-bit images in Partition, both outputs explained.
TEST(ShapFamily, PartitionWithTeleaInpaintingOfThreeChannels) {
  auto model = cnn3();
  PartitionOptions o;
  o.maxEvals = 800;
  o.batchSize = 32;
  o.masker = MaskerSpec::parse("inpaint_telea");
  Progress progress;
  const Attribution a = explainPartition(*model, fromChannelLast(readNpy(dataPath("shap/x_cnn3.npy"))), o, progress);
  expectEqualsShap(a, reference("cnn3_telea_e800"), "partition, inpaint_telea, 3 channels");
  EXPECT_EQ(a.modelRowsEvaluated, 2 * 800);  // shap's count too (shap_family.json)
}
