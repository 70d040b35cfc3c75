#include "analysis/Faithfulness.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "analysis/Ablation.h"
#include "util/Error.h"
#include "util/Finite.h"

namespace sky {
namespace {

double area(const std::vector<double>& curve) {
  double s = 0;
  for (size_t k = 1; k < curve.size(); ++k) s += 0.5 * (curve[k] + curve[k - 1]);
  return curve.size() > 1 ? s / static_cast<double>(curve.size() - 1) : 0.0;
}

// Pixel counts at each step: round(k/steps x n).
std::vector<size_t> stepCounts(size_t n, int steps) {
  std::vector<size_t> c;
  for (int k = 0; k <= steps; ++k) c.push_back(static_cast<size_t>(std::llround(static_cast<double>(n) * k / steps)));
  return c;
}

// Deletion and insertion along `order`: `score(sets)` evaluates the input once per set, keeping
// exactly the flagged pixels of the original. Sets go in groups of 8 to bound memory.
template <class Score>
void curves(const std::vector<size_t>& order, int steps, Score&& score, std::vector<double>& deletion,
            std::vector<double>& insertion) {
  const auto counts = stepCounts(order.size(), steps);
  for (bool inserting : {false, true}) {
    std::vector<double>& curve = inserting ? insertion : deletion;
    for (size_t first = 0; first < counts.size(); first += 8) {
      std::vector<std::vector<uint8_t>> sets;
      for (size_t k = first; k < std::min(counts.size(), first + 8); ++k) {
        std::vector<uint8_t> present(order.size(), inserting ? 0 : 1);
        for (size_t j = 0; j < counts[k]; ++j) present[order[j]] = inserting ? 1 : 0;
        sets.push_back(std::move(present));
      }
      const std::vector<double> scores = score(sets);
      curve.insert(curve.end(), scores.begin(), scores.end());
    }
  }
}

std::vector<size_t> descendingOrder(const std::vector<double>& a) {
  std::vector<size_t> order(a.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return a[i] > a[j]; });
  return order;
}

template <class Score>
FaithfulnessCurves run(const std::vector<double>& perPixel, const FaithfulnessOptions& o, Score&& score,
                       Progress& progress) {
  if (o.steps < 1 || static_cast<size_t>(o.steps) > perPixel.size()) {
    throw SkyError(ErrorKind::InvalidArgument, "faithfulness steps must be from 1 to the number of pixels ranked (" +
                                                   std::to_string(perPixel.size()) + "), got " +
                                                   std::to_string(o.steps));
  }
  // Sorting NaN is undefined: a non-finite attribution cannot rank pixels.
  requireFinite(std::span<const double>(perPixel), "the attribution", " pixels; it cannot rank them");
  FaithfulnessCurves c;
  for (int k = 0; k <= o.steps; ++k) c.fraction.push_back(static_cast<double>(k) / o.steps);
  curves(descendingOrder(perPixel), o.steps, score, c.deletion, c.insertion);
  progress.report(1, 2, "attribution order");
  std::vector<size_t> random(perPixel.size());
  std::iota(random.begin(), random.end(), size_t{0});
  std::mt19937_64 rng(o.seed);
  std::shuffle(random.begin(), random.end(), rng);
  curves(random, o.steps, score, c.randomDeletion, c.randomInsertion);
  progress.report(2, 2, "random order", true);
  c.deletionArea = area(c.deletion);
  c.insertionArea = area(c.insertion);
  c.randomDeletionArea = area(c.randomDeletion);
  c.randomInsertionArea = area(c.randomInsertion);
  return c;
}

}  // namespace

FaithfulnessCurves imageFaithfulness(Model& model, const Image& image, const Image& attribution,
                                     const FaithfulnessOptions& o, Progress& progress) {
  if (image.channels() != attribution.channels() || image.height() != attribution.height() ||
      image.width() != attribution.width()) {
    throw SkyError(ErrorKind::InvalidData, "the attribution's shape differs from the image's");
  }
  const ImageShape shape{image.channels(), image.height(), image.width()};
  if (!(model.inputShape() == shape) && model.inputShape().size() != 0) {
    throw SkyError(ErrorKind::InvalidData,
                   "the image is " + shape.text() + " but the model expects " + model.inputShape().text());
  }
  if (o.target < 0 || o.target >= model.outputCount())
    throw SkyError(ErrorKind::InvalidArgument, "no output " + std::to_string(o.target));
  const size_t hw = image.planeSize();
  std::vector<double> perPixel(hw, 0.0);
  for (int ch = 0; ch < image.channels(); ++ch)
    for (size_t p = 0; p < hw; ++p) perPixel[p] += attribution.plane(ch)[p];
  auto score = [&](const std::vector<std::vector<uint8_t>>& presentSets) {
    std::vector<float> batch;
    for (const auto& present : presentSets)
      for (int ch = 0; ch < image.channels(); ++ch)
        for (size_t p = 0; p < hw; ++p)
          batch.push_back(static_cast<float>(present[p] ? image.plane(ch)[p] : o.baseline));
    const int n = static_cast<int>(presentSets.size()), k = model.outputCount();
    std::vector<double> out(static_cast<size_t>(n) * k), scores;
    model.evaluate(batch, n, Layout::NCHW, out);
    for (int i = 0; i < n; ++i) scores.push_back(out[static_cast<size_t>(i) * k + o.target]);
    return scores;
  };
  return run(perPixel, o, score, progress);
}

FaithfulnessCurves mapFaithfulness(Model& model, const SkyMap& map, const SkyMap& attribution,
                                   const FaithfulnessOptions& o, Progress& progress) {
  if (map.nside() != attribution.nside()) {
    throw SkyError(ErrorKind::InvalidData, "the attribution map has nside " + std::to_string(attribution.nside()) +
                                               ", the map " + std::to_string(map.nside()));
  }
  const SkyMap ring = map.toOrdering(Ordering::Ring);
  const auto a = attribution.toOrdering(Ordering::Ring).field(0);
  // Masked attribution pixels (UNSEEN or NaN) rank last, as UNSEEN always did; inf is an error.
  std::vector<double> perPixel(a.begin(), a.end());
  for (double& v : perPixel) v = std::isnan(v) ? kUnseen : v;
  auto score = [&](const std::vector<std::vector<uint8_t>>& presentSets) {
    std::vector<SkyMap> maps;
    for (const auto& present : presentSets) {
      SkyMap m = ring;
      for (int f = 0; f < m.fieldCount(); ++f) {
        auto v = m.field(f);
        for (size_t p = 0; p < v.size(); ++p)
          if (!present[p]) v[p] = kUnseen;  // filled as the card says
      }
      maps.push_back(std::move(m));
    }
    return scoreMaps(model, maps, o.target);
  };
  return run(perPixel, o, score, progress);
}

}  // namespace sky
