#include "TestSupport.h"
#include "model/Model.h"
#include "model/Training.h"
#include "stats/ClassificationMetrics.h"

using namespace sky;
using skytest::expectSkyError;
using skytest::ScratchDir;

namespace {
// Class 1 has extra signal in the left half of the image: separable, but only by looking.
LabelledImages toyData(int perClass, unsigned seed) {
  LabelledImages d;
  d.images.shape = {1, 8, 16};
  const auto noise = skytest::randomValues(static_cast<size_t>(2 * perClass) * 128, seed);
  for (int i = 0; i < 2 * perClass; ++i) {
    const int label = i % 2;
    for (int p = 0; p < 128; ++p) {
      const double signal = label && (p % 16) < 8 ? 1.2 : 0.0;
      d.images.nchw.push_back(static_cast<float>(noise[static_cast<size_t>(i) * 128 + p] + signal));
    }
    d.labels.push_back(label);
  }
  d.images.count = 2 * perClass;
  return d;
}

ModelCard toyCard() {
  ModelCard c;
  c.channels = {"T"};
  c.height = 8;
  c.width = 16;
  c.outputNames = {"feature"};
  return c;
}

double aucOf(const std::filesystem::path& model, const LabelledImages& d) {
  auto m = loadTorchScriptModel(model.string(), {1, d.images.shape});
  std::vector<double> s(d.images.count);
  m->evaluate(d.images.nchw, d.images.count, Layout::NCHW, s);
  return rocAuc(s, d.labels);
}

TrainingOptions quick(Architecture arch) {
  TrainingOptions o;
  o.architecture = arch;
  o.convWidths = {4, 8, 8};
  o.denseWidth = 8;
  o.components = 8;
  o.hiddenWidths = {16};
  o.epochs = 12;
  o.batchSize = 16;
  o.learningRate = 0.01;
  o.threads = 1;
  o.seed = 3;
  return o;
}
}  // namespace

TEST(Training, CnnLearnsAndItsCheckpointReloads) {
  ScratchDir dir;
  const LabelledImages train = toyData(60, 1), test = toyData(50, 2);
  Progress progress;
  const TrainingReport r = trainNetwork(train, toyCard(), quick(Architecture::Cnn), dir / "cnn.pt", progress);
  EXPECT_GT(r.bestValidationScore, 0.9);
  EXPECT_EQ(r.trainCount + r.validationCount, 120);
  EXPECT_EQ(r.validationCount, 24);  // 20% of each class
  ASSERT_TRUE(std::filesystem::exists(dir / "cnn.json"));
  const ModelCard card = readModelCard(dir / "cnn.json");
  EXPECT_EQ(card.outputNames, std::vector<std::string>{"feature"});
  EXPECT_NE(card.description.find("best validation AUC"), std::string::npos);
  EXPECT_GT(aucOf(dir / "cnn.pt", test), 0.9);  // saved in eval mode: fresh data, same skill
}

TEST(Training, PcaMlpLearns) {
  ScratchDir dir;
  Progress progress;
  const TrainingReport r =
      trainNetwork(toyData(60, 3), toyCard(), quick(Architecture::PcaMlp), dir / "pca.pt", progress);
  EXPECT_GT(r.bestValidationScore, 0.9);
  EXPECT_GT(aucOf(dir / "pca.pt", toyData(50, 4)), 0.9);
}

TEST(Training, InterruptedRunKeepsTheBestCheckpoint) {
  ScratchDir dir;
  std::atomic<bool> stop{false};
  Progress progress(
      [&](const ProgressInfo& p) {
        if (p.stage.rfind("epoch 2/12 done", 0) == 0) stop = true;
      },
      &stop);
  expectSkyError([&] { trainNetwork(toyData(40, 5), toyCard(), quick(Architecture::Cnn), dir / "m.pt", progress); },
                 ErrorKind::Cancelled, "cancelled");
  EXPECT_TRUE(std::filesystem::exists(dir / "m.pt"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 2);  // model + card, no temp files
}

TEST(Training, RejectsBadInput) {
  ScratchDir dir;
  Progress progress;
  TrainingOptions zero = quick(Architecture::Cnn);
  zero.epochs = 0;
  expectSkyError([&] { trainNetwork(toyData(10, 1), toyCard(), zero, dir / "m.pt", progress); },
                 ErrorKind::InvalidArgument, "out of range");
  LabelledImages oneClass = toyData(10, 1);
  for (int& l : oneClass.labels) l = 0;
  expectSkyError([&] { trainNetwork(oneClass, toyCard(), quick(Architecture::Cnn), dir / "m.pt", progress); },
                 ErrorKind::InvalidData, "each class needs");
}
