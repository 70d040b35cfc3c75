#include "analysis/SanityChecks.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "util/Error.h"

namespace sky {

namespace {

std::vector<double> ranks(std::span<const double> v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mean = 0.5 * static_cast<double>(i + j);  // ties share their mean rank
    for (size_t k = i; k <= j; ++k) r[order[k]] = mean;
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

std::vector<double> absScaled(std::span<const double> v) {
  double peak = 0;
  for (double x : v) peak = std::max(peak, std::abs(x));
  std::vector<double> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = peak > 0 ? std::abs(v[i]) / peak : 0.0;
  return out;
}

std::vector<size_t> topIndices(std::span<const double> v, size_t count) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
                    [&](size_t a, size_t b) { return std::abs(v[a]) > std::abs(v[b]); });
  order.resize(count);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace

double spearmanCorrelation(std::span<const double> a, std::span<const double> b) {
  if (a.size() != b.size() || a.empty()) throw SkyError(ErrorKind::InvalidArgument, "Spearman needs two equal series");
  return pearson(ranks(a), ranks(b));
}

double structuralSimilarity(std::span<const double> a, std::span<const double> b, int height, int width) {
  const int win = 7, pad = win / 2;
  if (height < win || width < win)
    throw SkyError(ErrorKind::InvalidArgument, "SSIM needs images of at least 7x7 pixels");
  const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03, n = win * win, cov = n / (n - 1);
  double total = 0;
  long long count = 0;
  for (int i = pad; i < height - pad; ++i)
    for (int j = pad; j < width - pad; ++j) {
      double ma = 0, mb = 0, aa = 0, bb = 0, ab = 0;
      for (int di = -pad; di <= pad; ++di)
        for (int dj = -pad; dj <= pad; ++dj) {
          const size_t k = static_cast<size_t>(i + di) * width + (j + dj);
          ma += a[k];
          mb += b[k];
          aa += a[k] * a[k];
          bb += b[k] * b[k];
          ab += a[k] * b[k];
        }
      ma /= n;
      mb /= n;
      const double va = cov * (aa / n - ma * ma), vb = cov * (bb / n - mb * mb), vab = cov * (ab / n - ma * mb);
      total += ((2 * ma * mb + c1) * (2 * vab + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      ++count;
    }
  return total / static_cast<double>(count);
}

AttributionSimilarity compareAttributions(const Image& a, const Image& b, double topFraction) {
  if (a.data().size() != b.data().size() || a.channels() != b.channels())
    throw SkyError(ErrorKind::InvalidArgument, "attributions of different shapes cannot be compared");
  if (!(topFraction > 0 && topFraction <= 1))
    throw SkyError(ErrorKind::InvalidArgument, "the top fraction must lie in (0, 1]");
  AttributionSimilarity s;
  s.spearman = spearmanCorrelation(a.data(), b.data());
  std::vector<double> absA(a.data().size()), absB(b.data().size());
  for (size_t i = 0; i < absA.size(); ++i) {
    absA[i] = std::abs(a.data()[i]);
    absB[i] = std::abs(b.data()[i]);
  }
  s.spearmanAbs = spearmanCorrelation(absA, absB);
  for (int c = 0; c < a.channels(); ++c)
    s.ssim += structuralSimilarity(absScaled(a.plane(c)), absScaled(b.plane(c)), a.height(), a.width());
  s.ssim /= a.channels();
  const size_t k =
      std::max<size_t>(1, static_cast<size_t>(std::llround(topFraction * static_cast<double>(absA.size()))));
  const std::vector<size_t> topA = topIndices(a.data(), k), topB = topIndices(b.data(), k);
  std::vector<size_t> both;
  std::set_intersection(topA.begin(), topA.end(), topB.begin(), topB.end(), std::back_inserter(both));
  s.topOverlap = static_cast<double>(both.size()) / static_cast<double>(k);
  return s;
}

std::vector<SanityStep> cascadingRandomisation(const std::vector<std::string>& layers, Model& unchanged,
                                               const RandomisedModel& randomised, const ExplainTarget& explain,
                                               int target, double topFraction, Progress& progress) {
  std::vector<SanityStep> steps;
  const long long total = static_cast<long long>(layers.size()) + 2;
  const Image original = explain(unchanged, target);
  progress.report(1, total, "original");
  steps.push_back({0, "none", compareAttributions(original, explain(unchanged, target), topFraction)});
  progress.report(2, total, "unchanged model");
  for (size_t k = 1; k <= layers.size(); ++k) {
    std::unique_ptr<Model> model = randomised(static_cast<int>(k));
    steps.push_back(
        {static_cast<int>(k), layers[k - 1], compareAttributions(original, explain(*model, target), topFraction)});
    progress.report(static_cast<long long>(k) + 2, total, layers[k - 1]);
  }
  return steps;
}

std::optional<RandomLogit> randomLogitTest(Model& model, const ExplainTarget& explain, int target, unsigned seed,
                                           double topFraction) {
  const int outputs = model.outputCount();
  if (outputs < 2) return std::nullopt;
  std::mt19937 random(seed);
  int other = std::uniform_int_distribution<int>(0, outputs - 2)(random);
  if (other >= target) ++other;  // any output but the target
  return RandomLogit{other, compareAttributions(explain(model, target), explain(model, other), topFraction)};
}

}  // namespace sky
