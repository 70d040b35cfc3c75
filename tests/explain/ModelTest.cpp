#include <fstream>
#include <random>

#include "TestSupport.h"
#include "model/Model.h"
#include "model/ModelCard.h"
#include "model/Preprocess.h"
#include "sky/SkyMap.h"

using namespace sky;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::ScratchDir;

namespace {
std::filesystem::path modelWithCard(const ScratchDir& dir, const std::string& card) {
  std::filesystem::copy_file(dataPath("models/cnn1.pt"), dir / "m.pt");
  std::ofstream(dir / "m.json") << card;
  return dir / "m.pt";
}
}  // namespace

TEST(Model, LoadsWithItsCardAndEvaluatesLikeTheReference) {
  ScratchDir dir;
  const auto path = modelWithCard(
      dir, R"({"format": "skyinterpret-model-card/1", "input": {"channels": ["T"], "height": 32, "width": 64},
                                           "outputs": {"names": ["logit"], "logits": true}})");
  auto model = loadTorchScriptModel(path.string());
  EXPECT_EQ(model->inputShape(), (ImageShape{1, 32, 64}));
  EXPECT_EQ(model->outputNames(), std::vector<std::string>{"logit"});
  const NpyArray x = readNpy(dataPath("models/x_cnn1_nchw.npy"));
  const std::vector<float> batch(x.values.begin(), x.values.end());
  std::vector<double> y(3);
  model->evaluate(batch, 3, Layout::NCHW, y);
  // float32 batch-vs-single forward differs by ~1e-6 (shared/reference README): the floor.
  EXPECT_LT(skytest::relativeError(y, readNpy(dataPath("models/y_cnn1.npy")).values), 1e-5);
}

TEST(Model, SubBatchesGiveTheSameOutputs) {
  const NpyArray x = readNpy(dataPath("models/x_cnn1_nchw.npy"));
  const std::vector<float> batch(x.values.begin(), x.values.end());
  ModelLoadOptions whole{1, {1, 32, 64}}, oneByOne{1, {1, 32, 64}, 2048};
  std::vector<double> a(3), b(3);
  loadTorchScriptModel(dataPath("models/cnn1.pt").string(), whole)->evaluate(batch, 3, Layout::NCHW, a);
  loadTorchScriptModel(dataPath("models/cnn1.pt").string(), oneByOne)->evaluate(batch, 3, Layout::NCHW, b);
  EXPECT_LT(skytest::relativeError(a, b), 1e-6);
}

TEST(Model, CardThatDisagreesWithTheModelIsAnError) {
  ScratchDir names, shape;
  expectSkyError(
      [&] {
        loadTorchScriptModel(
            modelWithCard(
                names,
                R"({"format": "skyinterpret-model-card/1", "input": {"channels": ["T"], "height": 32, "width": 64},
                                                  "outputs": {"names": ["LCDM", "feature"]}})")
                .string());
      },
      ErrorKind::InvalidData, "lists 2 output names but the model returns 1");
  const auto path = modelWithCard(
      shape, R"({"format": "skyinterpret-model-card/1", "input": {"channels": ["T"], "height": 32, "width": 64},
                                                     "outputs": {"names": ["logit"]}})");
  expectSkyError(
      [&] {
        loadTorchScriptModel(path.string(), {1, {1, 16, 32}});
      },
      ErrorKind::InvalidData, "says input (1, 32, 64) but the data is (1, 16, 32)");
  expectSkyError([] { loadTorchScriptModel(dataPath("models/cnn1.pt").string()); }, ErrorKind::InvalidArgument,
                 "input shape is unknown");
}

TEST(ModelCard, ParsesAndRoundTrips) {
  ModelCard card = parseModelCard(
      R"({"format": "skyinterpret-model-card/1", "input": {"channels": ["T","Q","U"], "height": 64, "width": 128},
      "preprocessing": {"kind": "global-zscore", "mean": 1.5, "std": 2.0, "fill_value": -1},
      "outputs": {"names": ["a","b"], "logits": false}, "description": "test"})",
      "card");
  EXPECT_EQ(card.channels.size(), 3u);
  EXPECT_EQ(card.preprocessing, Preprocessing::GlobalZScore);
  EXPECT_EQ(card.globalStd, 2.0);
  EXPECT_FALSE(card.outputsAreLogits);
  const ModelCard back = parseModelCard(modelCardJson(card), "again");
  EXPECT_EQ(back.outputNames, card.outputNames);
  EXPECT_EQ(back.fillValue, -1.0);
  expectSkyError([] { parseModelCard("{\"input\": ", "c"); }, ErrorKind::InvalidFormat, "invalid JSON");
}

// A regression card names its targets; its outputs are their means, then their sigmas.
TEST(ModelCard, RegressionCardsNameTheirTargets) {
  const std::string head =
      R"({"format": "skyinterpret-model-card/1", "input": {"channels": ["T"], "height": 32, "width": 64},
      "task": "regression", )";
  const ModelCard card = parseModelCard(
      head + R"("outputs": {"names": ["h", "ns", "sigma_h", "sigma_ns"], "logits": false, "targets": ["h", "ns"],
      "sigmas": true}})",
      "card");
  EXPECT_EQ(card.task, ModelTask::Regression);
  EXPECT_EQ(card.targets, (std::vector<std::string>{"h", "ns"}));
  EXPECT_TRUE(card.sigmaOutputs);
  const ModelCard back = parseModelCard(modelCardJson(card), "again");
  EXPECT_EQ(back.task, ModelTask::Regression);
  EXPECT_EQ(back.targets, card.targets);
  EXPECT_TRUE(back.sigmaOutputs);
  ModelCard classifier = card;
  classifier.task = ModelTask::Classification;
  classifier.outputNames = {"feature"};
  const std::string json = modelCardJson(classifier);
  EXPECT_EQ(json.find("task"), std::string::npos);  // classifiers keep the cards they always had
  EXPECT_EQ(parseModelCard(json, "classifier").task, ModelTask::Classification);
  expectSkyError(
      [&] { parseModelCard(head + R"("outputs": {"names": ["h"], "targets": ["h"], "sigmas": true}})", "c"); },
      ErrorKind::InvalidFormat, "2 names for 1 targets");
  expectSkyError([&] { parseModelCard(head + R"("outputs": {"names": ["h"]}})", "c"); }, ErrorKind::InvalidFormat,
                 "targets");
  expectSkyError(
      [&] {
        parseModelCard(R"({"format": "skyinterpret-model-card/1", "input": {"channels": ["T"], "height": 32,
        "width": 64}, "task": "ranking", "outputs": {"names": ["a"]}})",
                       "c");
      },
      ErrorKind::InvalidFormat, "neither classification nor regression");
}

// Cards are validated strictly: a loose card is refused with the key or value at fault, never
// half-understood (a card from a newer version may mean things this build would misread).
TEST(ModelCard, LooseCardsAreRefusedNamingWhatIsWrong) {
  const std::string input = R"("input": {"channels": ["T"], "height": 32, "width": 64})";
  const std::string outputs = R"("outputs": {"names": ["logit"]})";
  const std::string format = R"("format": "skyinterpret-model-card/1")";
  const auto card = [&](const std::string& body) { return "{" + body + "}"; };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {card(input + ", " + outputs), "missing required key format"},
      {card(R"("format": "skyinterpret-model-card/99", )" + input + ", " + outputs), "format version 99 is newer"},
      {card(R"("format": "my-card/1", )" + input + ", " + outputs), "is not a model card"},
      {card(R"("format": "skyinterpret-model-card/x", )" + input + ", " + outputs), "is not a model card"},
      {card(format + ", " + outputs), "missing required key input"},
      {card(format + R"(, "input": {"channels": ["T"], "height": 32}, )" + outputs),
       "missing required key input.width"},
      {card(format + R"(, "input": {"channels": [], "height": 32, "width": 64}, )" + outputs),
       "input.channels must not be empty"},
      {card(format + R"(, "input": {"channels": ["T"], "height": 0, "width": 64}, )" + outputs),
       "input.height must be a whole number"},
      {card(format + R"(, "input": {"channels": ["T"], "height": 32, "width": 6.5}, )" + outputs),
       "input.width must be a whole number"},
      {card(format + R"(, "input": {"channels": ["T"], "height": "tall", "width": 64}, )" + outputs),
       "input.height must be a number"},
      {card(format + ", " + input), "missing required key outputs"},
      {card(format + ", " + input + R"(, "outputs": {"logits": true})"), "missing required key outputs.names"},
      {card(format + ", " + input + ", " + outputs + R"(, "preprocessing": {"kind": "minmax"})"),
       "unknown preprocessing.kind 'minmax'"},
      {card(format + ", " + input + ", " + outputs +
            R"(, "preprocessing": {"kind": "global-zscore", "mean": 0, "std": 0})"),
       "preprocessing.std must be positive"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expectSkyError([&] { parseModelCard(text, "c"); }, ErrorKind::InvalidFormat, message);
  }
  EXPECT_EQ(parseModelCard(card(format + ", " + input + ", " + outputs), "c").outputNames,
            std::vector<std::string>{"logit"});
}

TEST(Preprocess, PerMapZScoreThenFill) {
  ModelCard card;
  card.preprocessing = Preprocessing::PerMapZScore;
  card.fillValue = 0.0;
  Image img(1, 2, 2, std::vector<double>{1.0, 3.0, kUnseen, 5.0});
  EXPECT_EQ(applyPreprocessing(card, img), 1);
  const double mean = 3.0, sd = std::sqrt(8.0 / 3.0);
  EXPECT_NEAR(img.at(0, 0, 0), (1.0 - mean) / sd, 1e-12);
  EXPECT_EQ(img.at(0, 1, 0), 0.0);
  card.preprocessing = Preprocessing::GlobalZScore;
  card.globalMean = 1.0;
  card.globalStd = 2.0;
  Image g(1, 1, 2, std::vector<double>{3.0, std::nan("")});
  applyPreprocessing(card, g);
  EXPECT_EQ(g.at(0, 0, 0), 1.0);
  EXPECT_EQ(g.at(0, 0, 1), 0.0);
}

namespace {
ModelLoadOptions demoOptions(bool exact) {
  ModelLoadOptions o{1, {1, 64, 128}};
  o.exactModel = exact;
  return o;
}
std::vector<float> noiseImages(int n, long long size, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> x(static_cast<size_t>(n * size));
  for (float& v : x) v = normal(rng);
  return x;
}
}  // namespace

// The demo model has batch norm: the optimised copy folds it and runs oneDNN, which changes
// float32 rounding only.
TEST(OptimisedModel, AgreesWithTheModuleAsSavedToFloatRounding) {
  const std::string path = std::string(SKY_RESOURCES_DIR "/demo/demo_model.pt");
  auto optimised = loadTorchScriptModel(path, demoOptions(false));
  auto exact = loadTorchScriptModel(path, demoOptions(true));
  EXPECT_EQ(exact->forwardPath(), "exact (asked for)");
  const int n = 24;
  const auto x = noiseImages(n, exact->inputShape().size(), 3);
  std::vector<double> a(n), b(n);
  optimised->evaluate(x, n, Layout::NCHW, a);
  exact->evaluate(x, n, Layout::NCHW, b);
  EXPECT_TRUE(optimised->forwardPath().starts_with("optimised (frozen, batch norm folded, oneDNN"))
      << optimised->forwardPath();
  EXPECT_LT(skytest::relativeError(a, b), 1e-5);
  EXPECT_GT(skytest::relativeError(a, b), 0.0) << "the optimised copy was not used";
}

// Tuning tries every memory format and call size on real calls; whichever runs, the outputs
// are the same bits, so tuning never changes a result.
TEST(OptimisedModel, TuningNeverChangesOutputs) {
  auto model = loadTorchScriptModel(dataPath("models/cnn1.pt").string(), {1, {1, 32, 64}});
  const int n = 32;
  const auto x = noiseImages(n, model->inputShape().size(), 5);
  std::vector<double> first(n), again(n);
  model->evaluate(x, n, Layout::NHWC, first);
  for (int call = 0; call < 12; ++call) {
    model->evaluate(x, n, Layout::NHWC, again);
    ASSERT_EQ(again, first) << "call " << call;
  }
  EXPECT_NE(model->forwardPath().find("rows per call"), std::string::npos) << "not settled: " << model->forwardPath();
  std::vector<double> nchw(n);
  std::vector<float> x2(x.size());  // the same images in NCHW order (C = 1: same memory)
  std::copy(x.begin(), x.end(), x2.begin());
  model->evaluate(x2, n, Layout::NCHW, nchw);
  EXPECT_EQ(nchw, first);
}

TEST(OptimisedModel, FallsBackToTheModuleAsSavedWhenTheCopyDisagrees) {
  ModelLoadOptions strict = demoOptions(false);
  strict.agreementTolerance = -1;  // no copy can agree: every difference, even zero, is too much
  auto model = loadTorchScriptModel(std::string(SKY_RESOURCES_DIR "/demo/demo_model.pt"), strict);
  auto exact = loadTorchScriptModel(std::string(SKY_RESOURCES_DIR "/demo/demo_model.pt"), demoOptions(true));
  const int n = 4;
  const auto x = noiseImages(n, model->inputShape().size(), 7);
  std::vector<double> a(n), b(n);
  model->evaluate(x, n, Layout::NCHW, a);
  exact->evaluate(x, n, Layout::NCHW, b);
  EXPECT_TRUE(model->forwardPath().starts_with("exact (the optimised copy disagreed with it by"))
      << model->forwardPath();
  EXPECT_EQ(a, b);
}
