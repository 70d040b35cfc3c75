#include "analysis/Ablation.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/ModelInput.h"
#include "sky/Harmonics.h"
#include "sky/MapStatistics.h"
#include "stats/ClassificationMetrics.h"
#include "stats/RegressionMetrics.h"
#include "util/Error.h"

namespace sky {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void checkCommon(const Model& model, const std::vector<SkyMap>& maps, const std::vector<int>& labels, int target,
                 size_t gridSize) {
  if (maps.empty()) throw SkyError(ErrorKind::InvalidArgument, "no maps to ablate");
  if (gridSize == 0) throw SkyError(ErrorKind::InvalidArgument, "the grid of cuts is empty");
  if (!labels.empty() && labels.size() != maps.size()) {
    throw SkyError(ErrorKind::InvalidArgument, std::to_string(labels.size()) + " labels for " +
                                                   std::to_string(maps.size()) +
                                                   " maps: give one label per map, or none");
  }
  for (int l : labels)
    if (l != 0 && l != 1) throw SkyError(ErrorKind::InvalidArgument, "labels are 0 (LambdaCDM) or 1 (feature)");
  if (target < 0 || target >= model.outputCount()) {
    throw SkyError(ErrorKind::InvalidArgument, "output " + std::to_string(target) + " does not exist (the model has " +
                                                   std::to_string(model.outputCount()) + ")");
  }
  for (const SkyMap& m : maps)
    if (m.nside() != maps[0].nside()) throw SkyError(ErrorKind::InvalidData, "the maps have different nside");
}

AblationPoint summarise(double cut, const std::vector<double>& scores, const std::vector<int>& labels, double threshold,
                        const std::vector<double>& truth) {
  AblationPoint p;
  p.cut = cut;
  double sum = 0;
  for (double s : scores) sum += s;
  p.meanOutput = sum / static_cast<double>(scores.size());
  p.accuracy = p.auc = p.r2 = p.rmse = kNaN;
  if (!truth.empty()) {
    const RegressionMetrics m = regressionMetrics(truth, scores);
    p.r2 = m.r2;
    p.rmse = m.rmse;
  }
  if (labels.empty()) return p;
  double byClass[2] = {0, 0};
  int count[2] = {0, 0};
  int correct = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    byClass[labels[i]] += scores[i];
    ++count[labels[i]];
    correct += (scores[i] >= threshold) == (labels[i] == 1);  // as classificationMetrics predicts
  }
  p.meanOutputByClass = {count[0] ? byClass[0] / count[0] : kNaN, count[1] ? byClass[1] / count[1] : kNaN};
  p.accuracy = std::isnan(threshold) ? kNaN : static_cast<double>(correct) / static_cast<double>(scores.size());
  p.auc = count[0] && count[1] ? rocAuc(scores, labels) : kNaN;
  return p;
}

// Runs `ablate(map, cut index)` over every map and cut, scoring in batches of maps.
template <class Ablate>
AblationCurve runCurve(Model& model, const std::vector<SkyMap>& maps, const std::vector<int>& labels, int target,
                       const std::vector<double>& truth, const std::vector<double>& cuts, Progress& progress,
                       Ablate&& ablate) {
  if (!truth.empty() && truth.size() != maps.size()) {
    throw SkyError(ErrorKind::InvalidArgument,
                   std::to_string(truth.size()) + " true values for " + std::to_string(maps.size()) + " maps");
  }
  AblationCurve curve;
  const std::vector<double> base = scoreMaps(model, maps, target);
  const bool bothClasses = !labels.empty() && std::count(labels.begin(), labels.end(), 1) > 0 &&
                           std::count(labels.begin(), labels.end(), 0) > 0;
  const double threshold = bothClasses ? classificationMetrics(base, labels).youdenThreshold : kNaN;
  curve.baseline = summarise(kNaN, base, labels, threshold, truth);
  const long long total = static_cast<long long>(cuts.size()) * static_cast<long long>(maps.size());
  for (size_t c = 0; c < cuts.size(); ++c) {
    std::vector<SkyMap> cutMaps;
    cutMaps.reserve(maps.size());
    for (size_t i = 0; i < maps.size() && !progress.cancelled(); ++i) cutMaps.push_back(ablate(i, c));
    if (progress.cancelled()) break;
    curve.points.push_back(summarise(cuts[c], scoreMaps(model, cutMaps, target), labels, threshold, truth));
    try {
      progress.report((static_cast<long long>(c) + 1) * static_cast<long long>(maps.size()), total,
                      "cut " + std::to_string(c + 1) + "/" + std::to_string(cuts.size()));
    } catch (const SkyError& e) {
      if (e.kind() != ErrorKind::Cancelled) throw;
      break;  // the finished cuts stand
    }
  }
  curve.complete = curve.points.size() == cuts.size();
  return curve;
}

// 1 for the multipoles a scale cut keeps, 0 for those it removes.
std::vector<double> scaleCutWeights(ScaleCut kind, int cut, int bandWidth, int lmax) {
  std::vector<double> weight(static_cast<size_t>(lmax) + 1);
  for (int l = 0; l <= lmax; ++l) {
    const bool keep = kind == ScaleCut::LowPass    ? l <= cut
                      : kind == ScaleCut::HighPass ? l >= cut
                                                   : (l < cut || l > cut + bandWidth - 1);
    weight[static_cast<size_t>(l)] = keep ? 1.0 : 0.0;
  }
  return weight;
}

// Masks the pixels a spot cut drops (filled later as the model card says), per field against
// that field's mean and sigma.
void applySpotCut(SkyMap& m, SpotCut kind, double k, const std::vector<FieldStatistics>& stats) {
  for (int f = 0; f < m.fieldCount(); ++f) {
    const FieldStatistics& st = stats[static_cast<size_t>(f)];
    if (st.validCount == 0) continue;
    for (double& x : m.field(f)) {
      if (isMasked(x)) continue;
      const bool hot = x - st.mean > k * st.std, cold = x - st.mean < -k * st.std;
      const bool drop = kind == SpotCut::MaskHot    ? hot
                        : kind == SpotCut::MaskCold ? cold
                        : kind == SpotCut::KeepHot  ? !hot
                                                    : !cold;
      if (drop) x = kUnseen;
    }
  }
}

std::vector<FieldStatistics> fieldStatistics(const SkyMap& m) {
  std::vector<FieldStatistics> out;
  for (int f = 0; f < m.fieldCount(); ++f) out.push_back(computeStatistics(m.field(f)));
  return out;
}

void checkScaleGrid(const ScaleAblationOptions& o, int nside) {
  const int lmax = 3 * nside - 1;
  for (int cut : o.grid) {
    if (cut < 0 || cut > lmax) {
      throw SkyError(ErrorKind::InvalidArgument, "cut l = " + std::to_string(cut) + " is outside 0.." +
                                                     std::to_string(lmax) + " (3 nside - 1 for nside " +
                                                     std::to_string(nside) + ")");
    }
  }
  if (o.cut == ScaleCut::RemoveBand && o.bandWidth < 1)
    throw SkyError(ErrorKind::InvalidArgument, "the band width must be >= 1");
}

SkyMap keepMask(const SkyMap& original, SkyMap filtered) {
  // Masked pixels stay masked (the harmonic transform saw them as zero).
  for (int f = 0; f < filtered.fieldCount() && f < original.fieldCount(); ++f) {
    auto out = filtered.field(f);
    const auto in = original.field(f);
    for (size_t p = 0; p < out.size(); ++p)
      if (isMasked(in[p])) out[p] = in[p];
  }
  return filtered;
}

}  // namespace

std::vector<double> scoreMaps(Model& model, const std::vector<SkyMap>& maps, int target) {
  const ModelCard& card = model.card();
  const int k = model.outputCount();
  std::vector<double> scores(maps.size());
  constexpr size_t kBatch = 32;
  for (size_t start = 0; start < maps.size(); start += kBatch) {
    const size_t n = std::min(kBatch, maps.size() - start);
    std::vector<float> batch;
    for (size_t i = 0; i < n; ++i) {
      const Image image = modelInput(maps[start + i], card, "map " + std::to_string(start + i));
      batch.insert(batch.end(), image.data().begin(), image.data().end());
    }
    std::vector<double> out(n * static_cast<size_t>(k));
    model.evaluate(batch, static_cast<int>(n), Layout::NCHW, out);
    for (size_t i = 0; i < n; ++i) scores[start + i] = out[i * static_cast<size_t>(k) + static_cast<size_t>(target)];
  }
  return scores;
}

AblationCurve scaleAblation(Model& model, const std::vector<SkyMap>& maps, const std::vector<int>& labels,
                            const ScaleAblationOptions& o, Progress& progress) {
  checkCommon(model, maps, labels, o.target, o.grid.size());
  checkScaleGrid(o, maps[0].nside());
  const int lmax = 3 * maps[0].nside() - 1;
  // One analysis per map; each cut is a weighting of its a_lm and one synthesis.
  std::vector<SkyMap> rings;
  std::vector<AlmSet> alms;
  for (const SkyMap& m : maps) {
    rings.push_back(m.toOrdering(Ordering::Ring));
    alms.push_back(mapToAlm(rings.back(), lmax, 3, m.fieldCount() == 3));
  }
  std::vector<double> cuts(o.grid.begin(), o.grid.end());
  AblationCurve curve = runCurve(model, maps, labels, o.target, o.truth, cuts, progress, [&](size_t i, size_t c) {
    AlmSet a = alms[i];
    for (auto& component : a) component.scaleByMultipole(scaleCutWeights(o.cut, o.grid[c], o.bandWidth, lmax));
    return keepMask(rings[i], almToMap(a, maps[i].nside()));
  });
  curve.kind = scaleCutName(o.cut);
  return curve;
}

AblationCurve spotAblation(Model& model, const std::vector<SkyMap>& maps, const std::vector<int>& labels,
                           const SpotAblationOptions& o, Progress& progress) {
  checkCommon(model, maps, labels, o.target, o.thresholds.size());
  for (double k : o.thresholds)
    if (!std::isfinite(k)) throw SkyError(ErrorKind::InvalidArgument, "thresholds must be finite numbers of sigma");
  // Each field's mean and sigma, once per map (every threshold reads them).
  std::vector<std::vector<FieldStatistics>> stats;
  for (const SkyMap& m : maps) stats.push_back(fieldStatistics(m));
  AblationCurve curve =
      runCurve(model, maps, labels, o.target, o.truth, o.thresholds, progress, [&](size_t i, size_t c) {
        SkyMap m = maps[i];
        applySpotCut(m, o.cut, o.thresholds[c], stats[i]);
        return m;
      });
  curve.kind = spotCutName(o.cut);
  return curve;
}

SkyMap scaleCutMap(const SkyMap& map, const ScaleAblationOptions& o, size_t cutIndex) {
  checkScaleGrid(o, map.nside());
  if (cutIndex >= o.grid.size()) throw SkyError(ErrorKind::InvalidArgument, "no such cut");
  const int lmax = 3 * map.nside() - 1;
  const SkyMap ring = map.toOrdering(Ordering::Ring);
  AlmSet a = mapToAlm(ring, lmax, 3, map.fieldCount() == 3);
  for (auto& component : a) component.scaleByMultipole(scaleCutWeights(o.cut, o.grid[cutIndex], o.bandWidth, lmax));
  return keepMask(ring, almToMap(a, map.nside()));
}

SkyMap spotCutMap(const SkyMap& map, const SpotAblationOptions& o, size_t cutIndex) {
  if (cutIndex >= o.thresholds.size()) throw SkyError(ErrorKind::InvalidArgument, "no such cut");
  SkyMap m = map;
  applySpotCut(m, o.cut, o.thresholds[cutIndex], fieldStatistics(map));
  return m;
}

const char* scaleCutName(ScaleCut cut) {
  return cut == ScaleCut::LowPass ? "lowpass" : cut == ScaleCut::HighPass ? "highpass" : "remove-band";
}
const char* spotCutName(SpotCut cut) {
  switch (cut) {
    case SpotCut::MaskHot:
      return "mask-hot";
    case SpotCut::MaskCold:
      return "mask-cold";
    case SpotCut::KeepHot:
      return "keep-hot";
    case SpotCut::KeepCold:
      return "keep-cold";
  }
  return "mask-hot";
}

ScaleCut parseScaleCut(const std::string& name) {
  for (ScaleCut c : {ScaleCut::LowPass, ScaleCut::HighPass, ScaleCut::RemoveBand})
    if (name == scaleCutName(c)) return c;
  throw SkyError(ErrorKind::InvalidArgument, "unknown scale cut '" + name + "' (lowpass, highpass, remove-band)");
}

SpotCut parseSpotCut(const std::string& name) {
  for (SpotCut c : {SpotCut::MaskHot, SpotCut::MaskCold, SpotCut::KeepHot, SpotCut::KeepCold})
    if (name == spotCutName(c)) return c;
  throw SkyError(ErrorKind::InvalidArgument,
                 "unknown spot cut '" + name + "' (mask-hot, mask-cold, keep-hot, keep-cold)");
}

}  // namespace sky
