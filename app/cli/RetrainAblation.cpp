#include "RetrainAblation.h"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "Interrupt.h"
#include "ModelOptions.h"
#include "TrainingOptions.h"
#include "analysis/Ablation.h"
#include "io/AtomicFile.h"
#include "io/Json.h"
#include "io/JsonValue.h"
#include "model/Dataset.h"
#include "model/Training.h"
#include "stats/ClassificationMetrics.h"
#include "stats/RegressionMetrics.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

namespace {

// The target output of every test map with cut k, scored 32 maps at a time.
std::vector<double> scoreCutMaps(sky::Model& model, const RetrainRequest& r, const LabelledMaps& test, size_t k) {
  std::vector<double> scores;
  for (size_t start = 0; start < test.maps.size(); start += 32) {
    std::vector<sky::SkyMap> cut;
    for (size_t i = start; i < std::min(test.maps.size(), start + 32); ++i) cut.push_back(r.cut(test.maps[i], k));
    const std::vector<double> s = sky::scoreMaps(model, cut, r.target);
    scores.insert(scores.end(), s.begin(), s.end());
  }
  return scores;
}

double metricOf(const std::vector<double>& scores, const LabelledMaps& test, const std::vector<double>& truth) {
  return truth.empty() ? sky::rocAuc(scores, test.labels) : sky::regressionMetrics(truth, scores).r2;
}

// A cut done before: its record, when it is for this cut value.
std::optional<double> recordedMetric(const std::filesystem::path& record, double cut) {
  if (!std::filesystem::exists(record)) return std::nullopt;
  const sky::JsonValue j = sky::JsonValue::parseFile(record);
  if (j["cut"].number("cut") != cut) return std::nullopt;
  return j["retrained"].number("retrained");
}

}  // namespace

std::vector<double> retrainedMetrics(const Arguments& args, const RetrainRequest& r, const LabelledMaps& test,
                                     const std::vector<double>& truth) {
  sky::TrainingOptions options = trainingOptions(args);
  if (r.card.task == sky::ModelTask::Regression) options.regressionTargets = r.card.targets;
  std::filesystem::create_directories(r.directory);
  std::vector<double> out;
  for (size_t k = 0; k < r.cuts.size(); ++k) {
    const std::string stem = "cut_" + std::to_string(k);
    // The network and its card are cut_k.pt and cut_k.json; the result beside them.
    const std::filesystem::path record = r.directory / (stem + "_result.json"), model = r.directory / (stem + ".pt");
    if (const auto done = recordedMetric(record, r.cuts[k])) {
      std::cerr << "cut " << r.cuts[k] << ": retrained before (" << record.string() << ")\n";
      out.push_back(*done);
      continue;
    }
    sky::ModelCard card = r.card;
    sky::Progress loading = terminalProgress("cutting training skies " + std::to_string(k + 1));
    const sky::LabelledImages train =
        sky::loadDataset(r.trainData, card, loading, [&](const sky::SkyMap& m) { return r.cut(m, k); });
    sky::Progress training =
        terminalProgress("retraining " + std::to_string(k + 1) + "/" + std::to_string(r.cuts.size()));
    const sky::TrainingReport report = sky::trainNetwork(train, card, options, model, training);
    auto retrained = loadModel(model.string(), args);
    const double metric = metricOf(scoreCutMaps(*retrained, r, test, k), test, truth);
    sky::JsonWriter j;
    j.beginObject().value("cut", r.cuts[k]).value("retrained", metric).value("metric", truth.empty() ? "auc" : "r2");
    j.value("model", model.filename().string()).value("best_epoch", report.bestEpoch);
    j.value("best_validation_score", report.bestValidationScore).value("train_images", report.trainCount).endObject();
    sky::writeJsonFile(record, j, sky::Overwrite::Allow);
    std::cerr << "\ncut " << r.cuts[k] << ": retrained " << (truth.empty() ? "AUC " : "R^2 ") << metric << "\n";
    out.push_back(metric);
  }
  return out;
}

}  // namespace cli
