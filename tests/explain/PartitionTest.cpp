#include <functional>

#include "ShapFixtures.h"
#include "TestModels.h"
#include "TestSupport.h"
#include "explain/PartitionExplainer.h"
#include "explain/PartitionTree.h"
#include "io/JsonValue.h"

using namespace sky;
using skytest::batchFromNchw;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::fromChannelLast;
using skytest::FunctionModel;
using skytest::randomValues;

namespace {

// Average marginal contribution over every feature ordering consistent with the tree
// (each internal node decides which child comes first): the hierarchical Shapley value.
std::vector<double> bruteForceHierarchical(const PartitionTree& tree,
                                           const std::function<double(const std::vector<bool>&)>& v) {
  const int m = tree.featureCount();
  std::function<std::vector<std::vector<int>>(int)> orderings = [&](int node) -> std::vector<std::vector<int>> {
    if (tree.isLeaf(node)) return {{node}};
    std::vector<std::vector<int>> out;
    for (const auto& a : orderings(tree.left(node)))
      for (const auto& b : orderings(tree.right(node))) {
        std::vector<int> ab = a, ba = b;
        ab.insert(ab.end(), b.begin(), b.end());
        ba.insert(ba.end(), a.begin(), a.end());
        out.push_back(ab);
        out.push_back(ba);
      }
    return out;
  };
  const auto all = orderings(tree.root());
  std::vector<double> phi(m, 0.0);
  for (const auto& order : all) {
    std::vector<bool> kept(m, false);
    double previous = v(kept);
    for (int f : order) {
      kept[f] = true;
      const double now = v(kept);
      phi[f] += (now - previous) / static_cast<double>(all.size());
      previous = now;
    }
  }
  return phi;
}

}  // namespace

TEST(PartitionTree, EqualsShapsImageClustering) {
  const PartitionTree tree(32, 64, 1);
  const NpyArray ref = sky::readNpy(dataPath("shap/partition_tree_32x64x1.npy"));
  EXPECT_EQ(tree.linkage(), ref.values);
}

TEST(PartitionTree, EveryNodeCoversItsChildren) {
  for (auto [h, w, c] : {std::tuple{5, 7, 3}, std::tuple{1, 9, 2}, std::tuple{4, 4, 1}}) {
    const PartitionTree tree(h, w, c);
    for (int node = tree.featureCount(); node <= tree.root(); ++node) {
      EXPECT_EQ(tree.size(node), tree.size(tree.left(node)) + tree.size(tree.right(node)));
      EXPECT_EQ(tree.size(node), tree.box(node).size());
    }
    EXPECT_EQ(tree.size(tree.root()), static_cast<long long>(h) * w * c);
  }
}

// shap.Explainer(f, Image("inpaint_telea", shape=(32,64,1)), algorithm="partition")(X[:2],
// max_evals=600, batch_size=32): the inpainting masker, 8-bit cast and all, as shap runs it.
TEST(Partition, InpaintingMaskerReproducesShap) {
  auto model = loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}});
  ImageBatch batch = fromChannelLast(sky::readNpy(dataPath("shap/x_cnn1.npy")));
  batch.count = 2;
  batch.nchw.resize(2 * static_cast<size_t>(batch.shape.size()));
  PartitionOptions options;
  options.maxEvals = 600;
  options.batchSize = 32;
  options.masker = MaskerSpec::parse("inpaint_telea");
  Progress progress;
  const Attribution a = explainPartition(*model, batch, options, progress);
  const auto refValues = sky::readNpy(dataPath("shap/cnn1_telea_e600_values.npy"));  // (2,32,64,1,1)
  const auto refBase = sky::readNpy(dataPath("shap/cnn1_telea_e600_base_values.npy"));
  ASSERT_EQ(a.values.size(), refValues.values.size());
  EXPECT_LT(skytest::relativeError(a.baseValues, refBase.values), 1e-6);
  EXPECT_LT(skytest::relativeError(a.values, refValues.values), 1e-4);
  std::printf("partition with inpaint_telea vs shap: values differ by %.2e of max|value|\n",
              skytest::relativeError(a.values, refValues.values));
  for (int n = 0; n < 2; ++n) EXPECT_NEAR(a.total(n, 0), a.outputs[n] - a.baseValues[n], 1e-5) << "efficiency " << n;
}

TEST(Partition, ReproducesShapReference) {
  auto model = loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}});
  const ImageBatch batch = fromChannelLast(sky::readNpy(dataPath("shap/x_cnn1.npy")));
  PartitionOptions options;
  options.maxEvals = 500;
  options.batchSize = 32;
  Progress progress;
  const Attribution a = explainPartition(*model, batch, options, progress);
  const auto refValues = sky::readNpy(dataPath("shap/cnn1_mask0_e500_values.npy"));  // (3,32,64,1,1)
  const auto refBase = sky::readNpy(dataPath("shap/cnn1_mask0_e500_base_values.npy"));
  const JsonValue meta = JsonValue::parseFile(dataPath("shap/cnn1_mask0_e500.json"));
  EXPECT_EQ(a.modelRowsEvaluated, static_cast<long long>(meta["f_rows_evaluated_total"].number("rows")));
  ASSERT_EQ(a.values.size(), refValues.values.size());  // C = K = 1: same memory order
  EXPECT_LT(skytest::relativeError(a.values, refValues.values), 1e-4);
  EXPECT_LT(skytest::relativeError(a.baseValues, refBase.values), 1e-6);
  for (int n = 0; n < 3; ++n) {
    EXPECT_NEAR(a.total(n, 0), a.outputs[n] - a.baseValues[n], 1e-5) << "efficiency, image " << n;
  }
}

TEST(Partition, FullExpansionEqualsBruteForceHierarchicalShapley) {
  const ImageShape shape{2, 2, 2};  // M = 8 features
  const auto x = randomValues(8, 3);
  const auto f = [](const std::vector<double>& v) {  // non-additive: products and a max
    return std::vector<double>{v[0] * v[5] + std::max(v[1], v[2]) * v[7] - v[3] * v[4] * v[6] + 0.3 * v[2],
                               std::tanh(v[0] + v[1] - v[6])};
  };
  FunctionModel model(shape, 2, f);
  PartitionOptions options;
  options.maxEvals = 10000;  // far more than the 42 masks a full expansion needs
  options.masker = MaskerSpec::parse("value:0.25");
  Progress progress;
  const Attribution a = explainPartition(model, batchFromNchw(shape, x), options, progress);
  const PartitionTree tree(2, 2, 2);
  for (int k = 0; k < 2; ++k) {
    // Feature id (h*W + w)*C + c <-> NCHW index (c*H + h)*W + w.
    const auto value = [&](const std::vector<bool>& kept) {
      std::vector<double> in(8);
      for (int c = 0; c < 2; ++c)
        for (int h = 0; h < 2; ++h)
          for (int w = 0; w < 2; ++w) {
            const int feature = (h * 2 + w) * 2 + c, nchw = (c * 2 + h) * 2 + w;
            in[nchw] = kept[feature] ? static_cast<double>(static_cast<float>(x[nchw])) : 0.25;
          }
      return f(in)[k];
    };
    const auto phi = bruteForceHierarchical(tree, value);
    for (int c = 0; c < 2; ++c)
      for (int h = 0; h < 2; ++h)
        for (int w = 0; w < 2; ++w)
          EXPECT_NEAR(a.values[(((static_cast<size_t>(k) * 2 + c) * 2 + h) * 2) + w], phi[(h * 2 + w) * 2 + c], 1e-12);
  }
}

TEST(Partition, AdditiveModelGetsExactContributionsOnOddShapes) {
  const ImageShape shape{3, 5, 7};
  const auto weights = randomValues(105, 5);
  const auto x = randomValues(2 * 105, 6);
  FunctionModel model(shape, 1, [&](const std::vector<double>& v) {
    return std::vector<double>{std::inner_product(v.begin(), v.end(), weights.begin(), 0.0)};
  });
  PartitionOptions options;
  options.maxEvals = 50000;
  Progress progress;
  const Attribution a = explainPartition(model, batchFromNchw(shape, x), options, progress);
  for (int n = 0; n < 2; ++n)
    for (size_t j = 0; j < 105; ++j)
      EXPECT_NEAR(a.values[n * 105 + j], weights[j] * static_cast<float>(x[n * 105 + j]), 1e-9);
}

TEST(Partition, EfficiencyAndRowCountsWhenTheBudgetEndsMidBatch) {
  const ImageShape shape{2, 9, 13};
  FunctionModel model(shape, 3, [](const std::vector<double>& v) {
    double s = 0, p = 1;
    for (size_t i = 0; i < v.size(); ++i) s += std::sin(v[i] * (1 + i % 5));
    for (size_t i = 0; i < 6; ++i) p *= v[i * 17];
    return std::vector<double>{s, p, s * p};
  });
  for (int maxEvals : {3, 4, 57, 101}) {
    PartitionOptions options;
    options.maxEvals = maxEvals;
    options.batchSize = 8;
    options.targets = TargetSelection::parse("0,2");
    Progress progress;
    model.rowsEvaluated = 0;
    const Attribution a = explainPartition(model, batchFromNchw(shape, randomValues(3 * 234, 9)), options, progress);
    EXPECT_EQ(a.targetsPerImage, 2);
    for (int n = 0; n < 3; ++n)
      for (int k = 0; k < 2; ++k) EXPECT_NEAR(a.total(n, k), a.outputs[n * 2 + k] - a.baseValues[n * 2 + k], 1e-9);
    // Masks per image: the budget B = max_evals - 2, overshooting by at most one pair.
    const long long perImage = (a.modelRowsEvaluated - 1) / 3 - 1;
    EXPECT_GE(perImage, maxEvals - 2);
    EXPECT_LE(perImage, maxEvals - 1);
    EXPECT_EQ(a.modelRowsEvaluated, model.rowsEvaluated);
    for (int size : model.callSizes) EXPECT_LE(size, 9);  // batch_size 8, +1 when a pair straddles it
    model.callSizes.clear();
  }
}

TEST(Partition, BlurMaskerEvaluatesTheBackgroundPerImage) {
  const ImageShape shape{1, 8, 16};
  FunctionModel model(shape, 1, [](const std::vector<double>& v) {
    double s = 0;
    for (size_t i = 0; i < v.size(); ++i) s += v[i] * v[i] * (i % 3);
    return std::vector<double>{s};
  });
  PartitionOptions options;
  options.maxEvals = 60;
  options.masker = MaskerSpec::parse("blur:3x5");
  Progress progress;
  const auto x = randomValues(2 * 128, 1);
  const Attribution a = explainPartition(model, batchFromNchw(shape, x), options, progress);
  EXPECT_EQ(a.modelRowsEvaluated, 2 * 60);
  EXPECT_NE(a.baseValues[0], a.baseValues[1]);
  for (int n = 0; n < 2; ++n) EXPECT_NEAR(a.total(n, 0), a.outputs[n] - a.baseValues[n], 1e-9);
}

TEST(Partition, TopKTargetsFollowTheOutputs) {
  const ImageShape shape{1, 2, 4};
  FunctionModel model(shape, 3, [](const std::vector<double>& v) { return std::vector<double>{v[0], v[1], v[2]}; });
  PartitionOptions options;
  options.maxEvals = 100;
  options.targets = TargetSelection::parse("top1");
  Progress progress;
  ImageBatch batch = batchFromNchw(shape, {0, 5, 1, 0, 0, 0, 0, 0, /**/ 9, 1, 2, 0, 0, 0, 0, 0});
  const Attribution a = explainPartition(model, batch, options, progress);
  EXPECT_EQ(a.targetIndex, (std::vector<int>{1, 0}));
}

TEST(Partition, CancelsPromptly) {
  const ImageShape shape{1, 64, 128};
  std::atomic<bool> stop{false};
  int calls = 0;
  FunctionModel model(shape, 1, [&](const std::vector<double>& v) {
    if (++calls == 200) stop = true;  // raise the flag mid-run
    return std::vector<double>{v[0] + v[100]};
  });
  PartitionOptions options;
  options.maxEvals = 100000;
  std::vector<double> reported;
  Progress progress([&](const ProgressInfo& p) { reported.push_back(p.fraction); }, &stop);
  expectSkyError([&] { explainPartition(model, batchFromNchw(shape, randomValues(8192, 2)), options, progress); },
                 ErrorKind::Cancelled, "cancelled");
  EXPECT_LT(calls, 200 + 33);  // stopped within one batch of the flag
}

TEST(Partition, RejectsBadArguments) {
  const ImageShape shape{1, 4, 8};
  FunctionModel model(shape, 2, [](const std::vector<double>& v) { return std::vector<double>{v[0], v[1]}; });
  Progress progress;
  const ImageBatch ok = batchFromNchw(shape, randomValues(32, 1));
  PartitionOptions few;
  few.maxEvals = 2;
  expectSkyError([&] { explainPartition(model, ok, few, progress); }, ErrorKind::InvalidArgument, "at least 3");
  PartitionOptions zero;
  zero.batchSize = 0;
  expectSkyError([&] { explainPartition(model, ok, zero, progress); }, ErrorKind::InvalidArgument, "batch size");
  PartitionOptions target;
  target.targets = TargetSelection::parse("5");
  expectSkyError([&] { explainPartition(model, ok, target, progress); }, ErrorKind::InvalidArgument,
                 "target 5 does not exist");
  ImageBatch nan = ok;
  nan.nchw[3] = std::nanf("");
  expectSkyError([&] { explainPartition(model, nan, {}, progress); }, ErrorKind::InvalidData, "NaN");
  ImageBatch wrong = batchFromNchw({1, 4, 4}, randomValues(16, 1));
  expectSkyError([&] { explainPartition(model, wrong, {}, progress); }, ErrorKind::InvalidData,
                 "expects images of (1, 4, 8)");
  expectSkyError([] { MaskerSpec::parse("blur:0x3"); }, ErrorKind::InvalidArgument, "positive sizes");
  expectSkyError([] { TargetSelection::parse("x"); }, ErrorKind::InvalidArgument, "output index");
}

// Forward-only work runs an inference-optimised copy of the model (ModelLoadOptions): its
// SHAP values stay within 1e-5 of max|value| of the module as saved on the reference CNN and
// the demo model (batch norm folded into its convolutions).
TEST(Partition, OptimisedModelGivesTheExactModelsValues) {
  struct Case {
    std::string model;
    ImageBatch batch;
  };
  ImageBatch demo;
  demo.shape = {1, 64, 128};
  demo.count = 1;
  const auto noise = skytest::randomValues(static_cast<size_t>(demo.shape.size()), 11);
  demo.nchw.assign(noise.begin(), noise.end());
  const std::vector<Case> cases = {
      {dataPath("models/cnn1.pt").string(), fromChannelLast(sky::readNpy(dataPath("shap/x_cnn1.npy")))},
      {SKY_RESOURCES_DIR "/demo/demo_model.pt", demo}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.model);
    ModelLoadOptions fastOptions{1, c.batch.shape}, exactOptions{1, c.batch.shape};
    exactOptions.exactModel = true;
    auto fast = loadTorchScriptModel(c.model, fastOptions);
    auto exact = loadTorchScriptModel(c.model, exactOptions);
    PartitionOptions options;
    options.maxEvals = 1000;
    Progress progress;
    const Attribution a = explainPartition(*fast, c.batch, options, progress);
    const Attribution b = explainPartition(*exact, c.batch, options, progress);
    EXPECT_EQ(a.modelRowsEvaluated, b.modelRowsEvaluated);
    EXPECT_LT(skytest::relativeError(a.values, b.values), 1e-5);
    EXPECT_TRUE(fast->forwardPath().starts_with("optimised")) << fast->forwardPath();
    std::printf("%s: optimised vs exact SHAP values differ by %.2e of max|value|\n", c.model.c_str(),
                skytest::relativeError(a.values, b.values));
  }
}
