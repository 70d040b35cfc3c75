#include "analysis/TrustMetrics.h"

#include <healpix_base.h>

#include <Eigen/Sparse>
#include <Eigen/SparseCholesky>
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>

#include "analysis/Ablation.h"
#include "sky/MapStatistics.h"
#include "sky/Resample.h"
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

struct WeightedNeighbour {
  size_t pixel;
  double weight;
};
using NeighbourList = std::function<void(size_t pixel, std::vector<WeightedNeighbour>& out)>;
using PixelValue = std::function<double(int channel, size_t pixel)>;

struct Imputation {
  std::vector<int> row;    // per pixel: its row in `values`, -1 when kept
  Eigen::MatrixXd values;  // removed pixels x channels
};

// ROAD's linear imputation: each removed pixel the weighted mean of its neighbours (removed
// ones included, solved jointly): row i reads W_i x_i - sum_{removed j} w_ij x_j =
// sum_{kept j} w_ij v_j. Symmetric and positive definite while every removed region touches a
// kept pixel; a removed pixel with no neighbour at all takes 0.
Imputation imputeRemoved(const std::vector<uint8_t>& removed, int channels, const NeighbourList& neighbours,
                         const PixelValue& value) {
  Imputation r;
  r.row.assign(removed.size(), -1);
  int count = 0;
  for (size_t i = 0; i < removed.size(); ++i)
    if (removed[i]) r.row[i] = count++;
  if (count == 0) return r;
  if (count == static_cast<int>(removed.size()))
    throw SkyError(ErrorKind::InvalidArgument, "ROAD cannot impute with every pixel removed");
  std::vector<Eigen::Triplet<double>> entries;
  Eigen::MatrixXd rhs = Eigen::MatrixXd::Zero(count, channels);
  std::vector<WeightedNeighbour> around;
  for (size_t p = 0; p < removed.size(); ++p) {
    const int row = r.row[p];
    if (row < 0) continue;
    around.clear();
    neighbours(p, around);
    double total = 0;
    for (const WeightedNeighbour& nb : around) {
      total += nb.weight;
      const int col = r.row[nb.pixel];
      if (col >= 0) {
        entries.emplace_back(row, col, -nb.weight);
      } else {
        for (int c = 0; c < channels; ++c) rhs(row, c) += nb.weight * value(c, nb.pixel);
      }
    }
    entries.emplace_back(row, row, total > 0 ? total : 1.0);
  }
  Eigen::SparseMatrix<double> a(count, count);
  a.setFromTriplets(entries.begin(), entries.end());
  Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> solver(a);
  if (solver.info() != Eigen::Success)
    throw SkyError(ErrorKind::InvalidArgument, "ROAD's imputation system could not be factorised");
  r.values = solver.solve(rhs);
  return r;
}

// Most relevant first; ties by pixel number. Only `eligible` pixels take part.
std::vector<size_t> relevanceOrder(const std::vector<double>& relevance, const std::vector<uint8_t>& eligible) {
  std::vector<size_t> order;
  for (size_t p = 0; p < relevance.size(); ++p)
    if (eligible[p]) order.push_back(p);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return relevance[a] > relevance[b]; });
  return order;
}

void checkRoadFractions(const std::vector<double>& fractions) {
  for (size_t k = 0; k < fractions.size(); ++k) {
    const double f = fractions[k];
    if (!(f > 0 && f < 1) || (k > 0 && f <= fractions[k - 1]))
      throw SkyError(ErrorKind::InvalidArgument, "ROAD fractions must increase, strictly between 0 and 1");
  }
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
  struct Neighbour {
    int di, dj;
    double weight;
  };
  static constexpr Neighbour kNeighbours[] = {{1, 0, 1.0 / 6},   {0, 1, 1.0 / 6},   {-1, 0, 1.0 / 6},
                                              {0, -1, 1.0 / 6},  {1, 1, 1.0 / 12},  {1, -1, 1.0 / 12},
                                              {-1, 1, 1.0 / 12}, {-1, -1, 1.0 / 12}};
  const Imputation x = imputeRemoved(
      removed, input.channels(),
      [&](size_t p, std::vector<WeightedNeighbour>& out) {
        const int i = static_cast<int>(p) / w, j = static_cast<int>(p) % w;
        for (const Neighbour& nb : kNeighbours) {
          const int ni = i + nb.di, nj = j + nb.dj;
          if (ni >= 0 && nj >= 0 && ni < h && nj < w) out.push_back({static_cast<size_t>(ni) * w + nj, nb.weight});
        }
      },
      [&](int c, size_t p) { return input.data()[c * removed.size() + p]; });
  Image out = input;
  NumpyLegacyRandom random(seed);
  for (int c = 0; c < input.channels(); ++c)
    for (size_t p = 0; p < removed.size(); ++p)
      if (x.row[p] >= 0) out.data()[c * removed.size() + p] = x.values(x.row[p], c) + noise * random.gauss();
  return out;
}

RoadCurves road(Model& model, const Image& input, const Image& attribution, const TrustMetricOptions& o,
                Progress& progress) {
  requireSameShape(input, attribution);
  requireTarget(model, o.target);
  checkRoadFractions(o.roadFractions);
  const size_t plane = input.planeSize();
  std::vector<double> relevance(plane, 0.0);
  for (int c = 0; c < attribution.channels(); ++c)
    for (size_t p = 0; p < plane; ++p) relevance[p] += attribution.plane(c)[p];
  const std::vector<size_t> order = relevanceOrder(relevance, std::vector<uint8_t>(plane, 1));
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

RoadCurves mapRoad(Model& model, const SkyMap& map, const SkyMap& attribution, const TrustMetricOptions& o,
                   Progress& progress) {
  requireTarget(model, o.target);
  checkRoadFractions(o.roadFractions);
  // The joint imputation grows with the pixels removed (37 s and 1 GB at nside 256, 5 min and
  // 4 GB at 512): finer maps are degraded to nside 256 first, still finer than the cartview
  // pixels of a 256x512 model grid.
  const int nside = std::min(map.nside(), kMaxRoadNside);
  const SkyMap ring = (map.nside() == nside ? map : udGrade(map, nside)).toOrdering(Ordering::Ring);
  // Ranking is all ROAD reads of the attribution: one of another nside is brought to the map's
  // (healpy's ud_grade: a parent's value for its children, the mean of the children).
  const SkyMap scores =
      (attribution.nside() == nside ? attribution : udGrade(attribution, nside)).toOrdering(Ordering::Ring);
  const size_t npix = static_cast<size_t>(ring.npix());
  // Pixels masked in the map (any field) or in the attribution neither rank nor serve as neighbours.
  std::vector<uint8_t> valid(npix, 1);
  for (size_t p = 0; p < npix; ++p) {
    if (isMasked(scores.field(0)[p])) valid[p] = 0;
    for (int f = 0; f < ring.fieldCount(); ++f)
      if (isMasked(ring.field(f)[p])) valid[p] = 0;
  }
  const std::vector<double> relevance(scores.field(0).begin(), scores.field(0).end());
  const std::vector<size_t> order = relevanceOrder(relevance, valid);
  const T_Healpix_Base<int64_t> base(ring.nside(), RING, SET_NSIDE);
  const NeighbourList neighbours = [&](size_t p, std::vector<WeightedNeighbour>& out) {
    fix_arr<int64_t, 8> around;
    base.neighbors(static_cast<int64_t>(p), around);
    for (size_t k = 0; k < 8; ++k)  // the 8 neighbours weigh alike on the sphere
      if (around[k] >= 0 && valid[static_cast<size_t>(around[k])]) out.push_back({static_cast<size_t>(around[k]), 1.0});
  };
  std::vector<double> noise;  // per field: roadNoise times the field's spread
  for (int f = 0; f < ring.fieldCount(); ++f) noise.push_back(o.roadNoise * computeStatistics(ring.field(f)).std);
  RoadCurves r;
  r.nside = nside;
  r.fraction.push_back(0.0);
  const double y0 = scoreMaps(model, {ring}, o.target)[0];
  r.morf.push_back(y0);
  r.lerf.push_back(y0);
  for (size_t k = 0; k < o.roadFractions.size(); ++k) {
    const size_t removedCount =
        static_cast<size_t>(std::llround(o.roadFractions[k] * static_cast<double>(order.size())));
    std::vector<SkyMap> pair;
    for (const bool mostFirst : {true, false}) {
      std::vector<uint8_t> removed(npix, 0);
      for (size_t i = 0; i < removedCount; ++i) removed[mostFirst ? order[i] : order[order.size() - 1 - i]] = 1;
      const Imputation x =
          imputeRemoved(removed, ring.fieldCount(), neighbours, [&](int c, size_t p) { return ring.field(c)[p]; });
      SkyMap imputed = ring;
      NumpyLegacyRandom random(o.seed + static_cast<uint32_t>(2 * k + (mostFirst ? 0 : 1)));
      for (int c = 0; c < ring.fieldCount(); ++c)
        for (size_t p = 0; p < npix; ++p)
          if (x.row[p] >= 0)
            imputed.field(c)[p] = x.values(x.row[p], c) + noise[static_cast<size_t>(c)] * random.gauss();
      pair.push_back(std::move(imputed));
    }
    const std::vector<double> y = scoreMaps(model, pair, o.target);
    r.fraction.push_back(o.roadFractions[k]);
    r.morf.push_back(y[0]);
    r.lerf.push_back(y[1]);
    progress.report(static_cast<long long>(k) + 1, static_cast<long long>(o.roadFractions.size()), "ROAD");
  }
  r.morfArea = meanByTrapezoid(r.fraction, r.morf);
  r.lerfArea = meanByTrapezoid(r.fraction, r.lerf);
  r.score = r.lerfArea - r.morfArea;
  return r;
}

}  // namespace sky
