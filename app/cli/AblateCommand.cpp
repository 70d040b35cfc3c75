// skyinterpret-cli ablate: which scales and which structures the model uses, as curves of its
// output (and accuracy, AUC) against harmonic cuts or hot/cold-spot thresholds.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "Arguments.h"
#include "Commands.h"
#include "Interrupt.h"
#include "ModelOptions.h"
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

void writeCurve(const sky::AblationCurve& curve, const std::string& output, sky::Overwrite overwrite) {
  // The first row is the baseline (cut = nan): the maps as they are.
  sky::CsvTable t;
  t.header = {"cut", "mean_output", "mean_output_lcdm", "mean_output_feature", "accuracy", "auc"};
  t.columns.resize(t.header.size());
  auto add = [&](const sky::AblationPoint& p) {
    const bool classes = p.meanOutputByClass.size() == 2;
    const double row[] = {
        p.cut,      p.meanOutput, classes ? p.meanOutputByClass[0] : NAN, classes ? p.meanOutputByClass[1] : NAN,
        p.accuracy, p.auc};
    for (size_t c = 0; c < t.columns.size(); ++c) t.columns[c].push_back(row[c]);
  };
  add(curve.baseline);
  for (const auto& p : curve.points) add(p);
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
    loading.report(static_cast<long long>(i) + 1, static_cast<long long>(entries.size()));
  }
  return out;
}

int runAblate(const std::vector<std::string>& argv) {
  const Arguments args(
      argv, {"model", "data", "output", "threads", "scales", "grid", "band-width", "spots", "thresholds", "target"},
      withModelFlags({"force"}));
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
  const std::vector<int>& labels = data.labels;
  auto model = loadModel(modelPath, args);
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
    o.target = args.getInt("target", 0);
    curve = sky::scaleAblation(*model, maps, labels, o, progress);
  } else {
    sky::SpotAblationOptions o;
    o.cut = sky::parseSpotCut(args.require("spots"));
    o.thresholds = numberList(args.require("thresholds"), "thresholds");
    o.target = args.getInt("target", 0);
    curve = sky::spotAblation(*model, maps, labels, o, progress);
  }
  writeCurve(curve, output, overwrite);
  std::fprintf(stderr, "\n%s: baseline mean output %.4f, AUC %.4f; %zu cuts written to %s\n", curve.kind.c_str(),
               curve.baseline.meanOutput, curve.baseline.auc, curve.points.size(), output.c_str());
  if (!curve.complete) throw SkyError(ErrorKind::Cancelled, "interrupted: the cuts finished so far are in " + output);
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
