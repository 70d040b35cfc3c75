// skyinterpret-cli ablate: which scales and which structures the model uses, as curves of its
// output (and accuracy, AUC; or R^2, RMSE for a regression network) against harmonic cuts or
// hot/cold-spot thresholds.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "Arguments.h"
#include "Commands.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "RetrainAblation.h"
#include "TrainingOptions.h"
#include "analysis/Ablation.h"
#include "io/AtomicFile.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "model/Model.h"
#include "simulate/Manifest.h"
#include "util/Error.h"

namespace cli {
namespace {

using sky::ErrorKind;
using sky::SkyError;

// `retrained`: one metric per cut from `ablate --retrain` (column `retrainedName`), or empty.
void writeCurve(const sky::AblationCurve& curve, const std::vector<double>& retrained, const std::string& retrainedName,
                const std::string& output, sky::Overwrite overwrite) {
  // The first row is the baseline (cut = nan): the maps as they are.
  sky::CsvTable t;
  t.header = {"cut", "mean_output", "mean_output_lcdm", "mean_output_feature", "accuracy", "auc", "r2", "rmse"};
  if (!retrained.empty()) t.header.push_back(retrainedName);
  t.columns.resize(t.header.size());
  auto add = [&](const sky::AblationPoint& p) {
    const bool classes = p.meanOutputByClass.size() == 2;
    const double row[] = {p.cut,
                          p.meanOutput,
                          classes ? p.meanOutputByClass[0] : NAN,
                          classes ? p.meanOutputByClass[1] : NAN,
                          p.accuracy,
                          p.auc,
                          p.r2,
                          p.rmse};
    for (size_t c = 0; c < std::size(row); ++c) t.columns[c].push_back(row[c]);
  };
  add(curve.baseline);
  for (const auto& p : curve.points) add(p);
  if (!retrained.empty()) {
    t.columns.back().push_back(NAN);  // the baseline: the network as given
    for (size_t k = 0; k < curve.points.size(); ++k) t.columns.back().push_back(retrained[k]);
  }
  sky::writeCsv(output, t, overwrite);
}

}  // namespace

LabelledMaps loadLabelledMaps(const std::filesystem::path& data) {
  LabelledMaps out;
  sky::Progress loading = terminalProgress("loading");
  const auto entries = sky::readManifest(data / "manifest.csv");
  if (entries.empty()) throw SkyError(ErrorKind::InvalidData, (data / "manifest.csv").string() + " lists no maps");
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].file.ends_with(".npy")) {
      throw SkyError(ErrorKind::InvalidData,
                     (data / entries[i].file).string() +
                         " is an image; this analysis needs HEALPix maps (simulate --format fits or both)");
    }
    out.maps.push_back(sky::readHealpixFits(data / entries[i].file, nullptr, nullptr, sky::Ordering::Ring));
    out.labels.push_back(entries[i].label);
    out.parameters.push_back(entries[i].parameters);
    loading.report(static_cast<long long>(i) + 1, static_cast<long long>(entries.size()));
  }
  return out;
}

int runAblate(const std::vector<std::string>& argv) {
  std::set<std::string> valued = trainingOptionNames();
  valued.insert({"model", "data", "output", "threads", "scales", "grid", "band-width", "spots", "thresholds", "target",
                 "train-data", "retrain-dir"});
  const Arguments args(argv, valued, withModelFlags({"force", "retrain"}));
  const std::string usage =
      "ablate --model M.pt --data DIR (--scales lowpass|highpass|remove-band --grid L1,L2,... [--band-width W] | "
      "--spots mask-hot|mask-cold|keep-hot|keep-cold --thresholds K1,K2,...) -o CURVE.csv";
  args.expectPositionals(0, usage);
  if (args.has("scales") == args.has("spots"))
    throw SkyError(ErrorKind::Usage, "give either --scales or --spots: " + usage);
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  sky::checkOutputPath(output, overwrite);
  const std::string modelPath = args.require("model");
  sky::requireReadableFile(modelPath, "model file");
  const LabelledMaps data = loadLabelledMaps(args.require("data"));
  const std::vector<sky::SkyMap>& maps = data.maps;
  auto model = loadModel(modelPath, args);
  // A regression network is judged by R^2 and RMSE of the parameter its --target output
  // predicts (a mean, not a sigma); a classifier by accuracy and AUC against the labels.
  const int target = args.getInt("target", 0);
  const sky::ModelCard& card = model->card();
  std::vector<int> labels = data.labels;
  std::vector<double> truth;
  if (card.task == sky::ModelTask::Regression) {
    if (target < 0 || target >= static_cast<int>(card.targets.size())) {
      throw SkyError(ErrorKind::InvalidArgument, "--target " + std::to_string(target) +
                                                     " is not a parameter's mean "
                                                     "(outputs 0 to " +
                                                     std::to_string(card.targets.size() - 1) + ")");
    }
    const std::string name = card.targets[static_cast<size_t>(target)];
    for (size_t i = 0; i < data.parameters.size(); ++i) {
      const auto it = data.parameters[i].find(name);
      if (it == data.parameters[i].end())
        throw SkyError(ErrorKind::InvalidData, "the manifest gives no '" + name + "' for map " + std::to_string(i));
      truth.push_back(it->second);
    }
    labels.clear();
  }
  const bool retrain = args.has("retrain");
  if (!retrain && (args.get("train-data") || args.get("retrain-dir")))
    throw SkyError(ErrorKind::Usage, "--train-data and --retrain-dir go with --retrain");
  RetrainRequest request;
  if (retrain) {
    request.trainData = args.require("train-data");
    request.directory = args.require("retrain-dir");
    request.card = card;
    request.target = target;
    trainingOptions(args);  // a malformed recipe stops here, before any work
  }
  sky::Progress progress = terminalProgress("ablate");
  sky::AblationCurve curve;
  if (args.has("scales")) {
    sky::ScaleAblationOptions o;
    o.cut = sky::parseScaleCut(args.require("scales"));
    for (double l : numberList(args.require("grid"), "grid")) {
      if (l != std::floor(l)) throw SkyError(ErrorKind::Usage, "--grid takes whole multipoles");
      o.grid.push_back(static_cast<int>(l));
    }
    o.bandWidth = args.getInt("band-width", 10);
    o.target = target;
    o.truth = truth;
    curve = sky::scaleAblation(*model, maps, labels, o, progress);
    request.cuts.assign(o.grid.begin(), o.grid.end());
    request.cut = [o](const sky::SkyMap& m, size_t k) { return sky::scaleCutMap(m, o, k); };
  } else {
    sky::SpotAblationOptions o;
    o.cut = sky::parseSpotCut(args.require("spots"));
    o.thresholds = numberList(args.require("thresholds"), "thresholds");
    o.target = target;
    o.truth = truth;
    curve = sky::spotAblation(*model, maps, labels, o, progress);
    request.cuts = o.thresholds;
    request.cut = [o](const sky::SkyMap& m, size_t k) { return sky::spotCutMap(m, o, k); };
  }
  std::vector<double> retrained;
  if (retrain && curve.complete) {
    if (truth.empty() && labels.empty()) throw SkyError(ErrorKind::InvalidData, "--retrain needs labelled maps");
    retrained = retrainedMetrics(args, request, data, truth);
  }
  writeCurve(curve, retrained, truth.empty() ? "retrained_auc" : "retrained_r2", output, overwrite);
  if (truth.empty())
    std::fprintf(stderr, "\n%s: baseline mean output %.4f, AUC %.4f; %zu cuts written to %s\n", curve.kind.c_str(),
                 curve.baseline.meanOutput, curve.baseline.auc, curve.points.size(), output.c_str());
  else
    std::fprintf(stderr, "\n%s: baseline R^2 %.4f, RMSE %.4g; %zu cuts written to %s\n", curve.kind.c_str(),
                 curve.baseline.r2, curve.baseline.rmse, curve.points.size(), output.c_str());
  if (!curve.complete) throw SkyError(ErrorKind::Cancelled, "interrupted: the cuts finished so far are in " + output);
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
