#include "explain/PartitionExplainer.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "explain/PartitionTree.h"
#include "util/Error.h"

namespace sky {
namespace {

// Coalition rows on shap's image tree: channel-last rows, each present node a box copied
// from x over the masker's background (or, for inpainting, the hidden pixels inpainted).
class ImageRows final : public CoalitionRows {
 public:
  ImageRows(const PartitionTree& tree, const MaskerSpec& masker, const float* x, const float* background)
      : tree_(tree), masker_(masker), x_(x), background_(background) {}

  size_t rowSize() const override { return static_cast<size_t>(tree_.featureCount()); }
  Layout layout() const override { return Layout::NHWC; }
  void fill(float* row, const std::vector<int>& presentNodes) override {
    const size_t m = rowSize();
    if (masker_.kind == MaskerSpec::Kind::Inpaint) {
      // Inpainting depends on which pixels are hidden: mark the context's boxes, then inpaint.
      present_.assign(m, 0);
      for (const int node : presentNodes) markBox(tree_.box(node));
      const std::vector<float> image =
          maskedImage(masker_, x_, present_.data(), tree_.height(), tree_.width(), tree_.channels());
      std::memcpy(row, image.data(), m * sizeof(float));
      return;
    }
    std::memcpy(row, background_, m * sizeof(float));
    for (const int node : presentNodes) copyBox(row, tree_.box(node));
  }

 private:
  void copyBox(float* row, const FeatureBox& b) const {
    const int w = tree_.width(), c = tree_.channels();
    const size_t run = static_cast<size_t>(b.wmax - b.wmin) * c;
    for (int h = b.hmin; h < b.hmax; ++h) {
      const size_t base = (static_cast<size_t>(h) * w + b.wmin) * c;
      if (b.cmin == 0 && b.cmax == c) {
        std::memcpy(row + base, x_ + base, run * sizeof(float));
      } else {
        for (int ww = 0; ww < b.wmax - b.wmin; ++ww)
          for (int cc = b.cmin; cc < b.cmax; ++cc)
            row[base + static_cast<size_t>(ww) * c + cc] = x_[base + static_cast<size_t>(ww) * c + cc];
      }
    }
  }

  void markBox(const FeatureBox& b) {
    const int w = tree_.width(), c = tree_.channels();
    for (int h = b.hmin; h < b.hmax; ++h)
      for (int ww = b.wmin; ww < b.wmax; ++ww)
        for (int cc = b.cmin; cc < b.cmax; ++cc) present_[(static_cast<size_t>(h) * w + ww) * c + cc] = 1;
  }

  const PartitionTree& tree_;
  const MaskerSpec& masker_;
  const float* x_;
  const float* background_;
  std::vector<uint8_t> present_;
};

}  // namespace

Attribution explainPartition(Model& model, const ImageBatch& batch, const PartitionOptions& options,
                             Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (options.maxEvals < 3) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "max_evals must be at least 3 (two evaluations go to f(x) and the fully "
                   "masked image; got " +
                       std::to_string(options.maxEvals) + ")");
  }
  if (options.batchSize < 1) throw SkyError(ErrorKind::InvalidArgument, "batch size must be at least 1");
  checkBatchForModel(batch, model);
  const ImageShape s = batch.shape;
  if (options.masker.kind == MaskerSpec::Kind::Blur && (options.masker.kx > s.width || options.masker.ky > s.height)) {
    throw SkyError(ErrorKind::InvalidArgument, "blur masker " + std::to_string(options.masker.kx) + "x" +
                                                   std::to_string(options.masker.ky) + " is larger than the image (" +
                                                   std::to_string(s.width) + " wide, " + std::to_string(s.height) +
                                                   " high)");
  }
  const PartitionTree tree(s.height, s.width, s.channels);
  const int outputs = model.outputCount();

  Attribution result;
  result.method = "partition";
  result.shape = s;
  result.images = batch.count;
  result.outputNames = model.outputNames();
  result.parameters = {{"max_evals", std::to_string(options.maxEvals)},
                       {"batch_size", std::to_string(options.batchSize)},
                       {"masker", options.masker.text()},
                       {"target", options.targets.text()},
                       {"partition_tree", "shap-image"},
                       {"tie_break", "fifo"}};
  long long rows = 0;
  const long long totalRows = static_cast<long long>(batch.count) * options.maxEvals;
  std::vector<double> f00(outputs), f11(outputs);
  std::vector<float> background;
  bool haveFixedBase = false;
  for (int n = 0; n < batch.count; ++n) {
    const std::vector<float> x = toChannelLast(batch.image(n), s);
    if (!options.masker.backgroundIsFixed() || !haveFixedBase) {
      background = maskerBackground(options.masker, x.data(), s.height, s.width, s.channels);
      model.evaluate(background, 1, Layout::NHWC, f00);
      ++rows;
      haveFixedBase = true;
    }
    if (options.masker.kind == MaskerSpec::Kind::Inpaint) {
      // As shap: f(x) too goes through the masker (all present: the 8-bit image).
      const std::vector<uint8_t> all(x.size(), 1);
      model.evaluate(maskedImage(options.masker, x.data(), all.data(), s.height, s.width, s.channels), 1, Layout::NHWC,
                     f11);
    } else {
      model.evaluate(x, 1, Layout::NHWC, f11);
    }
    ++rows;
    const std::vector<int> targets = resolveTargets(options.targets, f11, 1, outputs);
    const int k = static_cast<int>(targets.size());
    if (n == 0) {
      result.targetsPerImage = k;
      result.values.assign(static_cast<size_t>(batch.count) * k * s.size(), 0.0);
    }
    std::vector<double> lo(k), hi(k);
    for (int j = 0; j < k; ++j) {
      lo[j] = f00[targets[j]];
      hi[j] = f11[targets[j]];
      result.targetIndex.push_back(targets[j]);
      result.baseValues.push_back(lo[j]);
      result.outputs.push_back(hi[j]);
    }
    ImageRows masked(tree, options.masker, x.data(), background.data());
    const std::vector<double> values =
        owenValues({model, tree, masked, targets, options.batchSize, progress, rows, totalRows}, lo.data(), hi.data(),
                   options.maxEvals - 2);
    for (int j = 0; j < k; ++j)
      for (int c = 0; c < s.channels; ++c)
        for (int h = 0; h < s.height; ++h)
          for (int w = 0; w < s.width; ++w)
            result.at(n, j, c, h, w) = values[(static_cast<size_t>((h * s.width + w) * s.channels + c)) * k + j];
    progress.report(rows, totalRows, "image " + std::to_string(n + 1) + "/" + std::to_string(batch.count), true);
  }
  result.modelRowsEvaluated = rows;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace sky
