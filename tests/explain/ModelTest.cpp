#include <fstream>

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
  const auto path = modelWithCard(dir, R"({"input": {"channels": ["T"], "height": 32, "width": 64},
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
  expectSkyError([&] {
    loadTorchScriptModel(modelWithCard(names, R"({"input": {"channels": ["T"], "height": 32, "width": 64},
                                                  "outputs": {"names": ["LCDM", "feature"]}})").string());
  }, ErrorKind::InvalidData, "lists 2 output names but the model returns 1");
  const auto path = modelWithCard(shape, R"({"input": {"channels": ["T"], "height": 32, "width": 64}})");
  expectSkyError([&] { loadTorchScriptModel(path.string(), {1, {1, 16, 32}}); }, ErrorKind::InvalidData,
                 "says input (1, 32, 64) but the data is (1, 16, 32)");
  expectSkyError([] { loadTorchScriptModel(dataPath("models/cnn1.pt").string()); }, ErrorKind::InvalidArgument,
                 "input shape is unknown");
}

TEST(ModelCard, ParsesAndRoundTrips) {
  ModelCard card = parseModelCard(R"({"input": {"channels": ["T","Q","U"], "height": 64, "width": 128},
      "preprocessing": {"kind": "global-zscore", "mean": 1.5, "std": 2.0, "fill_value": -1},
      "outputs": {"names": ["a","b"], "logits": false}, "description": "test"})", "card");
  EXPECT_EQ(card.channels.size(), 3u);
  EXPECT_EQ(card.preprocessing, Preprocessing::GlobalZScore);
  EXPECT_EQ(card.globalStd, 2.0);
  EXPECT_FALSE(card.outputsAreLogits);
  const ModelCard back = parseModelCard(modelCardJson(card), "again");
  EXPECT_EQ(back.outputNames, card.outputNames);
  EXPECT_EQ(back.fillValue, -1.0);
  expectSkyError([] { parseModelCard(R"({"preprocessing": {"kind": "minmax"}})", "c"); }, ErrorKind::InvalidFormat,
                 "unknown preprocessing.kind 'minmax'");
  expectSkyError([] { parseModelCard(R"({"input": {"height": "tall"}})", "c"); }, ErrorKind::InvalidFormat,
                 "input.height must be a number");
  expectSkyError([] { parseModelCard("{\"input\": ", "c"); }, ErrorKind::InvalidFormat, "invalid JSON");
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
