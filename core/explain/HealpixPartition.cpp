#include "explain/HealpixPartition.h"

#include <healpix_base.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>

#include "explain/HealpixTree.h"
#include "model/ImageBatch.h"
#include "model/Model.h"
#include "model/ModelInput.h"
#include "model/Preprocess.h"
#include "sky/Cartview.h"
#include "sky/NestedToRing.h"
#include "util/Error.h"

namespace sky {
namespace {

// Coalition rows on the NESTED tree. Cartview sampling is nearest-pixel, so masking a coarse
// sky pixel before projection equals taking the masked image's values at the image pixels
// that sample inside it: rows are the all-absent image with the present nodes' pixels copied
// from x. Image pixels are kept sorted by coarse pixel, so a node is one run of them.
class SphereRows final : public CoalitionRows {
 public:
  SphereRows(const HealpixTree& tree, const std::vector<int64_t>& coarseOfPixel, int channels, const float* x,
             const float* absent)
      : tree_(tree), plane_(coarseOfPixel.size()), channels_(channels), x_(x), absent_(absent) {
    byCoarse_.resize(plane_);
    for (size_t i = 0; i < plane_; ++i) byCoarse_[i] = static_cast<int>(i);
    std::stable_sort(byCoarse_.begin(), byCoarse_.end(), [&](int a, int b) {
      return coarseOfPixel[static_cast<size_t>(a)] < coarseOfPixel[static_cast<size_t>(b)];
    });
    start_.assign(static_cast<size_t>(tree.featureCount()) + 1, 0);
    for (const int64_t c : coarseOfPixel) ++start_[static_cast<size_t>(c) + 1];
    for (size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
  }

  size_t rowSize() const override { return plane_ * channels_; }
  Layout layout() const override { return Layout::NCHW; }
  void fill(float* row, const std::vector<int>& presentNodes) override {
    std::memcpy(row, absent_, rowSize() * sizeof(float));
    for (const int node : presentNodes) {
      const NestedRange r = tree_.range(node);
      for (size_t k = start_[static_cast<size_t>(r.first)]; k < start_[static_cast<size_t>(r.end)]; ++k) {
        const size_t p = static_cast<size_t>(byCoarse_[k]);
        for (int c = 0; c < channels_; ++c) row[c * plane_ + p] = x_[c * plane_ + p];
      }
    }
  }
  // Coarse pixels that no image pixel samples: nothing of them reaches the model.
  long long unsampled() const {
    long long n = 0;
    for (size_t c = 0; c + 1 < start_.size(); ++c) n += start_[c] == start_[c + 1];
    return n;
  }

 private:
  const HealpixTree& tree_;
  size_t plane_;
  int channels_;
  const float* x_;
  const float* absent_;
  std::vector<int> byCoarse_;  // image pixels sorted by coarse NESTED pixel
  std::vector<size_t> start_;  // first place in byCoarse_ of each coarse pixel (M + 1)
};

}  // namespace

SphereAttribution explainPartitionHealpix(Model& model, const SkyMap& map, const ModelCard& card,
                                          const HealpixPartitionOptions& options, const std::string& source,
                                          Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (options.maxEvals < 3) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "max_evals must be at least 3 (two evaluations go to f(x) and the "
                   "sky with every pixel absent; got " +
                       std::to_string(options.maxEvals) + ")");
  }
  if (options.batchSize < 1) throw SkyError(ErrorKind::InvalidArgument, "batch size must be at least 1");
  if (options.treeNside > map.nside()) {
    throw SkyError(ErrorKind::InvalidArgument, "the tree at nside " + std::to_string(options.treeNside) +
                                                   " is finer than the map (nside " + std::to_string(map.nside()) +
                                                   ")");
  }
  const HealpixTree tree(options.treeNside);
  const SkyMap ring = map.toOrdering(Ordering::Ring);
  const Image full = projectForModel(ring, card, source);
  const PreprocessingStats stats = preprocessingStats(card, full);
  Image input = full, absent = full;
  const double absentValue = options.absentValue.value_or(kUnseen);
  for (double& v : absent.data())
    if (!isMasked(v)) v = absentValue;
  applyPreprocessing(card, input, stats);
  applyPreprocessing(card, absent, stats);
  const std::vector<float> x = batchOf(input).nchw, background = batchOf(absent).nchw;

  // The coarse NESTED pixel under each image pixel: the sampled sky pixel's NESTED number
  // without its last levels.
  const std::vector<int64_t> sampled = cartviewPixels(CartviewGrid::forWidth(card.width), ring.nside());
  const T_Healpix_Base<int64_t> fine(ring.nside(), RING, SET_NSIDE);
  const int dropBits = 2 * (std::countr_zero(static_cast<unsigned>(ring.nside())) -
                            std::countr_zero(static_cast<unsigned>(options.treeNside)));
  std::vector<int64_t> coarse(sampled.size());
  for (size_t i = 0; i < sampled.size(); ++i) coarse[i] = fine.ring2nest(sampled[i]) >> dropBits;
  SphereRows rows(tree, coarse, full.channels(), x.data(), background.data());

  const int outputs = model.outputCount();
  std::vector<double> f00(outputs), f11(outputs);
  model.evaluate(background, 1, Layout::NCHW, f00);
  model.evaluate(x, 1, Layout::NCHW, f11);
  long long evaluated = 2;
  const std::vector<int> targets = resolveTargets(options.targets, f11, 1, outputs);
  const size_t k = targets.size();
  SphereAttribution r;
  r.nside = options.treeNside;
  r.targetIndex = targets;
  r.outputNames = model.outputNames();
  for (const int t : targets) {
    r.baseValues.push_back(f00[static_cast<size_t>(t)]);
    r.outputs.push_back(f11[static_cast<size_t>(t)]);
  }
  const std::vector<double> nested =
      owenValues({model, tree, rows, targets, options.batchSize, progress, evaluated, options.maxEvals},
                 r.baseValues.data(), r.outputs.data(), options.maxEvals - 2);
  const size_t m = static_cast<size_t>(tree.featureCount());
  r.values.assign(k * m, 0.0);
  const NestedToRing toRing(options.treeNside);
  for (size_t p = 0; p < m; ++p)
    for (size_t j = 0; j < k; ++j)
      r.values[j * m + static_cast<size_t>(toRing(static_cast<int64_t>(p)))] = nested[p * k + j];
  r.modelRowsEvaluated = evaluated;
  r.unsampledPlayers = rows.unsampled();
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace sky
