#include "analysis/TrustMetrics.h"

#include <Eigen/Sparse>
#include <Eigen/SparseCholesky>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "stats/NumpyRandom.h"
#include "util/Error.h"

namespace sky {

namespace {

void requireSameShape(const Image& input, const Image& attribution) {
  if (input.channels() != attribution.channels() || input.height() != attribution.height() ||
      input.width() != attribution.width()) {
    throw SkyError(ErrorKind::InvalidArgument, "the attribution's shape (" + std::to_string(attribution.channels()) +
                                                   ", " + std::to_string(attribution.height()) + ", " +
                                                   std::to_string(attribution.width()) + ") is not the input's");
  }
}

void requireTarget(const Model& model, int target) {
  if (target < 0 || target >= model.outputCount()) {
    throw SkyError(ErrorKind::InvalidArgument, "the model has " + std::to_string(model.outputCount()) +
                                                   " outputs; there is no target " + std::to_string(target));
  }
}

// The target output of each image (CHW doubles, `count` of them back to back).
std::vector<double> targetOutputs(Model& model, const std::vector<double>& images, int count, int target) {
  const std::vector<float> rows(images.begin(), images.end());
  std::vector<double> out(static_cast<size_t>(count) * model.outputCount());
  model.evaluate(rows, count, Layout::NCHW, out);
  std::vector<double> y(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i)
    y[static_cast<size_t>(i)] = out[static_cast<size_t>(i) * model.outputCount() + target];
  return y;
}

double frobenius(std::span<const double> v) {
  double s = 0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

double meanByTrapezoid(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() < 2 || x.back() == x.front()) return y.empty() ? 0.0 : y.front();
  double area = 0;
  for (size_t i = 1; i < x.size(); ++i) area += 0.5 * (y[i] + y[i - 1]) * (x[i] - x[i - 1]);
  return area / (x.back() - x.front());
}

}  // namespace

bool multipliesByInputs(const std::string& method) { return method != "saliency" && method != "smoothgrad"; }

double infidelity(Model& model, const Image& input, const Image& attribution, const TrustMetricOptions& o) {
  requireSameShape(input, attribution);
  requireTarget(model, o.target);
  if (o.perturbations < 1) throw SkyError(ErrorKind::InvalidArgument, "infidelity needs at least one perturbation");
  const size_t n = input.data().size();
  NumpyLegacyRandom random(o.seed);
  // The model reads float32: perturbations are measured between the float values it sees.
  std::vector<double> rows(n * static_cast<size_t>(o.perturbations + 1));
  for (size_t i = 0; i < n; ++i) rows[i] = static_cast<float>(input.data()[i]);  // row 0: x itself
  std::vector<double> dots(static_cast<size_t>(o.perturbations), 0.0);
  for (int s = 0; s < o.perturbations; ++s) {
    double* perturbed = rows.data() + (static_cast<size_t>(s) + 1) * n;
    double dot = 0;
    for (size_t i = 0; i < n; ++i) {
      const double x = rows[i];
      perturbed[i] = static_cast<float>(x - o.infidelityNoise * random.gauss());
      const double noise = x - perturbed[i];
      // The perturbation the attribution is measured against (Captum's decorator).
      const double p = !o.multiplyByInputs ? noise : (x != o.baseline ? noise / (x - o.baseline) : 0.0);
      dot += p * attribution.data()[i];
    }
    dots[static_cast<size_t>(s)] = dot;
  }
  const std::vector<double> y = targetOutputs(model, rows, o.perturbations + 1, o.target);
  double sum = 0;
  for (int s = 0; s < o.perturbations; ++s) {
    const double gap = dots[static_cast<size_t>(s)] - (y[0] - y[static_cast<size_t>(s) + 1]);
    sum += gap * gap;
  }
  return sum / o.perturbations;
}

double sensitivityMax(const Reexplain& explain, const Image& input, const TrustMetricOptions& o, Progress& progress) {
  if (o.perturbations < 1)
    throw SkyError(ErrorKind::InvalidArgument, "sensitivity-max needs at least one perturbation");
  const Image reference = explain(input);
  requireSameShape(input, reference);
  double norm = frobenius(reference.data());
  if (norm == 0.0) norm = 1.0;  // as Captum
  NumpyLegacyRandom random(o.seed);
  double worst = 0;
  for (int s = 0; s < o.perturbations; ++s) {
    Image perturbed = input;
    for (double& v : perturbed.data()) v += o.sensitivityRadius * (2 * random.uniform() - 1);
    const Image e = explain(perturbed);
    std::vector<double> diff(e.data().size());
    for (size_t i = 0; i < diff.size(); ++i) diff[i] = e.data()[i] - reference.data()[i];
    worst = std::max(worst, frobenius(diff) / norm);
    progress.report(s + 1, o.perturbations, "sensitivity-max");
  }
  return worst;
}

double giniSparseness(std::span<const double> attribution) {
  if (attribution.empty()) throw SkyError(ErrorKind::InvalidArgument, "an empty attribution has no sparseness");
  double peak = 0;
  for (double v : attribution) peak = std::max(peak, std::abs(v));
  std::vector<double> a(attribution.size());
  for (size_t i = 0; i < a.size(); ++i) a[i] = (peak > 0 ? std::abs(attribution[i]) / peak : 0.0) + 1e-7;
  std::sort(a.begin(), a.end());
  const double n = static_cast<double>(a.size());
  double weighted = 0, total = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    weighted += (2.0 * static_cast<double>(i + 1) - n - 1) * a[i];
    total += a[i];
  }
  return weighted / (n * total);
}

double entropyComplexity(std::span<const double> attribution) {
  double total = 0;
  for (double v : attribution) total += std::abs(v);
  if (total == 0) throw SkyError(ErrorKind::InvalidArgument, "an all-zero attribution has no complexity");
  double h = 0;
  for (double v : attribution) {
    const double p = std::abs(v) / total;
    if (p > 0) h -= p * std::log(p);
  }
  return h;
}

Image noisyLinearImputation(const Image& input, const std::vector<uint8_t>& removed, double noise, uint32_t seed) {
  const int h = input.height(), w = input.width();
  if (removed.size() != input.planeSize())
    throw SkyError(ErrorKind::InvalidArgument, "the removal mask does not match the image");
  // Unknowns: the removed pixels, numbered in order.
  std::vector<int> unknown(removed.size(), -1);
  int count = 0;
  for (size_t i = 0; i < removed.size(); ++i)
    if (removed[i]) unknown[i] = count++;
  Image out = input;
  if (count == 0) return out;
  if (count == static_cast<int>(removed.size()))
    throw SkyError(ErrorKind::InvalidArgument, "ROAD cannot impute an image with every pixel removed");
  struct Neighbour {
    int di, dj;
    double weight;
  };
  static constexpr Neighbour kNeighbours[] = {{1, 0, 1.0 / 6},   {0, 1, 1.0 / 6},   {-1, 0, 1.0 / 6},
                                              {0, -1, 1.0 / 6},  {1, 1, 1.0 / 12},  {1, -1, 1.0 / 12},
                                              {-1, 1, 1.0 / 12}, {-1, -1, 1.0 / 12}};
  // Row i: W_i x_i - sum_{removed j} w_ij x_j = sum_{kept j} w_ij x_j (W_i: the weights of the
  // neighbours inside the image). Symmetric and positive definite while a pixel is kept.
  std::vector<Eigen::Triplet<double>> entries;
  Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(count, input.channels());
  for (int i = 0; i < h; ++i)
    for (int j = 0; j < w; ++j) {
      const int row = unknown[static_cast<size_t>(i) * w + j];
      if (row < 0) continue;
      double total = 0;
      for (const Neighbour& nb : kNeighbours) {
        const int ni = i + nb.di, nj = j + nb.dj;
        if (ni < 0 || nj < 0 || ni >= h || nj >= w) continue;
        total += nb.weight;
        const int col = unknown[static_cast<size_t>(ni) * w + nj];
        if (col >= 0) {
          entries.emplace_back(row, col, -nb.weight);
        } else {
          for (int c = 0; c < input.channels(); ++c) rhs(row, c) += nb.weight * input.at(c, ni, nj);
        }
      }
      entries.emplace_back(row, row, total);
    }
  Eigen::SparseMatrix<double> a(count, count);
  a.setFromTriplets(entries.begin(), entries.end());
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> solver(a);
  if (solver.info() != Eigen::Success)
    throw SkyError(ErrorKind::InvalidArgument, "ROAD's imputation system could not be factorised");
  const Eigen::MatrixXd x = solver.solve(rhs);
  NumpyLegacyRandom random(seed);
  for (int c = 0; c < input.channels(); ++c)
    for (size_t p = 0; p < removed.size(); ++p)
      if (unknown[p] >= 0) out.data()[c * removed.size() + p] = x(unknown[p], c) + noise * random.gauss();
  return out;
}

RoadCurves road(Model& model, const Image& input, const Image& attribution, const TrustMetricOptions& o,
                Progress& progress) {
  requireSameShape(input, attribution);
  requireTarget(model, o.target);
  for (size_t k = 0; k < o.roadFractions.size(); ++k) {
    const double f = o.roadFractions[k];
    if (!(f > 0 && f < 1) || (k > 0 && f <= o.roadFractions[k - 1]))
      throw SkyError(ErrorKind::InvalidArgument, "ROAD fractions must increase, strictly between 0 and 1");
  }
  const size_t plane = input.planeSize();
  std::vector<double> relevance(plane, 0.0);
  for (int c = 0; c < attribution.channels(); ++c)
    for (size_t p = 0; p < plane; ++p) relevance[p] += attribution.plane(c)[p];
  std::vector<size_t> order(plane);  // most relevant first; ties by pixel number
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return relevance[a] > relevance[b]; });
  RoadCurves r;
  r.fraction.push_back(0.0);
  const double y0 = targetOutputs(model, input.data(), 1, o.target)[0];
  r.morf.push_back(y0);
  r.lerf.push_back(y0);
  std::vector<double> rows;
  for (size_t k = 0; k < o.roadFractions.size(); ++k) {
    const size_t removedCount = static_cast<size_t>(std::llround(o.roadFractions[k] * static_cast<double>(plane)));
    for (const bool mostFirst : {true, false}) {
      std::vector<uint8_t> removed(plane, 0);
      for (size_t i = 0; i < removedCount; ++i) removed[mostFirst ? order[i] : order[plane - 1 - i]] = 1;
      const Image imputed = noisyLinearImputation(input, removed, o.roadNoise,
                                                  o.seed + static_cast<uint32_t>(2 * k + (mostFirst ? 0 : 1)));
      rows.insert(rows.end(), imputed.data().begin(), imputed.data().end());
    }
    r.fraction.push_back(o.roadFractions[k]);
    progress.report(static_cast<long long>(k) + 1, static_cast<long long>(o.roadFractions.size()), "ROAD");
  }
  const std::vector<double> y = targetOutputs(model, rows, static_cast<int>(2 * o.roadFractions.size()), o.target);
  for (size_t k = 0; k < o.roadFractions.size(); ++k) {
    r.morf.push_back(y[2 * k]);
    r.lerf.push_back(y[2 * k + 1]);
  }
  r.morfArea = meanByTrapezoid(r.fraction, r.morf);
  r.lerfArea = meanByTrapezoid(r.fraction, r.lerf);
  r.score = r.lerfArea - r.morfArea;
  return r;
}

}  // namespace sky
