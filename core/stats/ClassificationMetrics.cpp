#include "stats/ClassificationMetrics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/Error.h"
#include "util/Finite.h"

namespace sky {
namespace {

void check(const std::vector<double>& scores, const std::vector<int>& labels) {
  if (scores.size() != labels.size()) {
    throw SkyError(ErrorKind::InvalidArgument, "scores and labels differ in length (" + std::to_string(scores.size()) +
                                                   " vs " + std::to_string(labels.size()) + ")");
  }
  long long pos = 0;
  for (int l : labels) {
    if (l != 0 && l != 1) throw SkyError(ErrorKind::InvalidArgument, "labels must be 0 or 1");
    pos += l;
  }
  if (pos == 0 || pos == static_cast<long long>(labels.size())) {
    throw SkyError(ErrorKind::InvalidArgument, "AUC needs both classes among the labels");
  }
  // NaN compares false with everything: sorting it is undefined and tie runs never end.
  requireFinite(std::span<const double>(scores), "the model's outputs", "; the model cannot be scored");
}

}  // namespace

double rocAuc(const std::vector<double>& scores, const std::vector<int>& labels) {
  check(scores, labels);
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Sum of (mid-)ranks of the positives.
  double rankSum = 0.0;
  long long pos = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double midRank = 0.5 * (static_cast<double>(i + 1) + static_cast<double>(j));
    for (size_t k = i; k < j; ++k) {
      if (labels[order[k]] == 1) {
        rankSum += midRank;
        ++pos;
      }
    }
    i = j;
  }
  const double neg = static_cast<double>(scores.size()) - static_cast<double>(pos);
  return (rankSum - static_cast<double>(pos) * (pos + 1) / 2.0) / (static_cast<double>(pos) * neg);
}

ClassificationMetrics classificationMetrics(const std::vector<double>& scores, const std::vector<int>& labels) {
  ClassificationMetrics m;
  m.auc = rocAuc(scores, labels);
  for (int l : labels) (l ? m.positives : m.negatives)++;
  // Candidate thresholds: every distinct score ("predict 1 when score >= t").
  std::vector<double> candidates = scores;
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  double bestJ = -2.0;
  for (double t : candidates) {
    long long tp = 0, fp = 0;
    for (size_t i = 0; i < scores.size(); ++i) {
      if (scores[i] >= t) (labels[i] ? tp : fp)++;
    }
    const double j = static_cast<double>(tp) / m.positives - static_cast<double>(fp) / m.negatives;
    if (j > bestJ) {
      bestJ = j;
      m.youdenThreshold = t;
      m.truePositive = tp;
      m.falsePositive = fp;
    }
  }
  m.falseNegative = m.positives - m.truePositive;
  m.trueNegative = m.negatives - m.falsePositive;
  m.accuracy = static_cast<double>(m.truePositive + m.trueNegative) / static_cast<double>(scores.size());
  return m;
}

}  // namespace sky
