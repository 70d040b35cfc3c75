#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include "Arguments.h"
#include "Commands.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "TrainingOptions.h"
#include "io/AtomicFile.h"
#include "io/Json.h"
#include "model/Dataset.h"
#include "model/Model.h"
#include "model/Training.h"
#include "sky/Cartview.h"
#include "stats/ClassificationMetrics.h"
#include "stats/RegressionMetrics.h"
#include "util/Error.h"

namespace cli {
namespace {

using sky::ErrorKind;
using sky::SkyError;

sky::Preprocessing parsePreprocessing(const std::string& text) {
  if (text == "none") return sky::Preprocessing::None;
  if (text == "per-map-zscore") return sky::Preprocessing::PerMapZScore;
  throw SkyError(ErrorKind::Usage, "--preprocess is none or per-map-zscore");
}

// R^2, RMSE and bias of each predicted parameter, and the calibration of the predicted sigmas.
void evaluateRegression(sky::Model& model, const sky::ModelCard& card, const sky::LabelledImages& data,
                        const std::string& modelPath, const std::string& dataDir,
                        const std::optional<std::string>& output, sky::Overwrite overwrite) {
  const size_t p = card.targets.size(), k = static_cast<size_t>(model.outputCount()), n = data.images.count;
  std::vector<double> out(n * k);
  model.evaluate(data.images.nchw, static_cast<int>(n), sky::Layout::NCHW, out);
  const std::vector<double> truth = sky::parameterValues(data, card.targets);
  sky::JsonWriter j;
  j.beginObject().value("model", modelPath).value("data", dataDir).value("task", "regression");
  j.value("images", static_cast<long long>(n)).beginObject("parameters");
  std::printf("images %zu\n%-12s %9s %12s %12s %14s %9s\n", n, "parameter", "R^2", "RMSE", "bias", "within 1 sigma",
              "mean z^2");
  for (size_t q = 0; q < p; ++q) {
    std::vector<double> t(n), mean(n), sigma;
    for (size_t i = 0; i < n; ++i) {
      t[i] = truth[i * p + q];
      mean[i] = out[i * k + q];
      if (card.sigmaOutputs) sigma.push_back(out[i * k + p + q]);
    }
    const sky::RegressionMetrics m = sky::regressionMetrics(t, mean, sigma);
    std::printf("%-12s %9.4f %12.5g %12.5g %14.3f %9.3f\n", card.targets[q].c_str(), m.r2, m.rmse, m.bias,
                m.coverage1Sigma, m.meanZ2);
    j.beginObject(card.targets[q]).value("r2", m.r2).value("rmse", m.rmse).value("bias", m.bias);
    if (card.sigmaOutputs) j.value("coverage_1sigma", m.coverage1Sigma).value("mean_z2", m.meanZ2);
    j.endObject();
  }
  j.endObject().endObject();
  if (output) sky::writeJsonFile(*output, j, overwrite);
}

}  // namespace

int runTrain(const std::vector<std::string>& argv) {
  std::set<std::string> valued = trainingOptionNames();
  valued.insert({"data", "output", "threads", "preprocess", "xsize", "fields", "task", "targets"});
  const Arguments args(argv, valued, {"force"});
  args.expectPositionals(0, "train --data DIR -o MODEL.pt");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::filesystem::path output = args.require("output");
  std::filesystem::path cardPath = output;
  cardPath.replace_extension(".json");
  sky::checkOutputPaths({output, cardPath}, overwrite);

  sky::TrainingOptions o = trainingOptions(args);
  const std::string task = args.get("task").value_or("classification");
  if (task != "classification" && task != "regression")
    throw SkyError(ErrorKind::Usage, "--task is classification or regression");
  if (task == "regression") {
    o.regressionTargets = splitList(args.require("targets"));
    if (o.regressionTargets.empty()) throw SkyError(ErrorKind::Usage, "--targets names the parameters to predict");
  } else if (args.get("targets")) {
    throw SkyError(ErrorKind::Usage, "--targets goes with --task regression");
  }

  sky::ModelCard card;
  card.preprocessing = parsePreprocessing(args.get("preprocess").value_or("per-map-zscore"));
  card.outputNames = {"feature"};
  card.outputsAreLogits = true;
  if (const auto x = args.get("xsize")) {  // FITS datasets: the grid to project on
    const sky::CartviewGrid grid = sky::CartviewGrid::forWidth(args.requireInt("xsize"));
    card.width = grid.width;
    card.height = grid.height;
    card.channels = args.get("fields").value_or("T") == "TQU" ? std::vector<std::string>{"T", "Q", "U"}
                                                              : std::vector<std::string>{"T"};
  }
  sky::Progress loading = terminalProgress("loading");
  const sky::LabelledImages data = sky::loadDataset(args.require("data"), card, loading);
  std::cerr << "\n" << data.images.count << " images of " << data.images.shape.text() << "\n";
  sky::Progress progress = terminalProgress("train");
  sky::TrainingReport report;
  try {
    report = sky::trainNetwork(data, card, o, output, progress);
  } catch (const SkyError& e) {
    if (e.kind() == ErrorKind::Cancelled && std::filesystem::exists(output)) {
      std::cerr << "\ninterrupted: the best checkpoint so far is in " << output.string() << "\n";
    }
    throw;
  }
  std::cerr << "\n";
  for (const auto& e : report.history) {
    std::printf("epoch %3d  train loss %.4f  val loss %.4f  val %s %.4f  lr %.2g\n", e.epoch, e.trainLoss,
                e.validationLoss, report.scoreName, e.validationScore, e.learningRate);
  }
  std::printf("best validation %s %.4f at epoch %d%s; model %s, card %s\n", report.scoreName,
              report.bestValidationScore, report.bestEpoch, report.stoppedEarly ? " (stopped early)" : "",
              output.string().c_str(), cardPath.string().c_str());
  return 0;
}

int runEvaluate(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"model", "data", "output", "threads"}, withModelFlags({"force"}));
  args.expectPositionals(0, "evaluate --model M.pt --data DIR [-o METRICS.json]");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const auto output = args.get("output");
  if (output) sky::checkOutputPath(*output, overwrite);
  const std::string modelPath = args.require("model");
  sky::requireReadableFile(modelPath, "model file");
  sky::ModelCard card;
  if (const auto cardPath = sky::modelCardPathFor(modelPath)) card = sky::readModelCard(*cardPath);
  sky::Progress loading = terminalProgress("loading");
  const sky::LabelledImages data = sky::loadDataset(args.require("data"), card, loading);
  auto model = loadModel(modelPath, args, data.images.shape);
  if (card.task == sky::ModelTask::Regression) {
    evaluateRegression(*model, card, data, modelPath, args.require("data"), output, overwrite);
    reportModelForward(*model);
    return 0;
  }
  if (model->outputCount() != 1) {
    throw SkyError(ErrorKind::InvalidData, "evaluate expects a binary classifier with one logit (the model has " +
                                               std::to_string(model->outputCount()) + " outputs)");
  }
  std::vector<double> scores(data.images.count);
  model->evaluate(data.images.nchw, data.images.count, sky::Layout::NCHW, scores);
  const sky::ClassificationMetrics m = sky::classificationMetrics(scores, data.labels);
  std::printf(
      "images %lld (feature %lld, LambdaCDM %lld)\nAUC %.4f\nYouden threshold %.4f (%s)\naccuracy %.4f\n"
      "confusion [[TN %lld, FP %lld], [FN %lld, TP %lld]]\n",
      m.positives + m.negatives, m.positives, m.negatives, m.auc, m.youdenThreshold,
      card.outputsAreLogits ? "logit" : "score", m.accuracy, m.trueNegative, m.falsePositive, m.falseNegative,
      m.truePositive);
  if (output) {
    sky::JsonWriter j;
    j.beginObject().value("model", modelPath).value("data", args.require("data")).value("auc", m.auc);
    j.value("accuracy", m.accuracy)
        .value("threshold", m.youdenThreshold)
        .value("threshold_scale", card.outputsAreLogits ? "logit" : "score");
    j.beginArray("confusion_matrix");
    j.beginArray().value({}, m.trueNegative).value({}, m.falsePositive).endArray();
    j.beginArray().value({}, m.falseNegative).value({}, m.truePositive).endArray();
    j.endArray().value("positives", m.positives).value("negatives", m.negatives).endObject();
    sky::writeJsonFile(*output, j, overwrite);
  }
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
