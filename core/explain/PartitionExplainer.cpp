#include "explain/PartitionExplainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <queue>

#include "explain/PartitionTree.h"
#include "util/Error.h"

namespace sky {
namespace {

// A context (the set of features kept from x) is a chain of tree nodes: each heap entry
// adds at most one node to its parent's chain, so contexts cost O(1) memory each.
struct ContextLink {
  int node;
  int parent;  // index into the arena, -1 for the empty context
};

struct Entry {
  double priority;  // -max_k |fHi_k - fLo_k| * weight (smallest pops first)
  long long order;  // FIFO tie-break
  int node;
  int context;
  int fLo, fHi;  // offsets into the output store (K values each)
  double weight;
};
struct PopsFirst {
  bool operator()(const Entry& a, const Entry& b) const {
    return a.priority != b.priority ? a.priority > b.priority : a.order > b.order;
  }
};

class OwenRecursion {
 public:
  OwenRecursion(Model& model, const PartitionTree& tree, const std::vector<int>& targets, int batchSize,
                Progress& progress, long long& rowsEvaluated, long long totalRows, const MaskerSpec& masker)
      : masker_(masker),
        model_(model),
        tree_(tree),
        targets_(targets),
        k_(static_cast<int>(targets.size())),
        batchSize_(batchSize),
        progress_(progress),
        rows_(rowsEvaluated),
        totalRows_(totalRows) {}

  // dvalues (2M-1 x K) for one image whose features are `x` (H, W, C) over `background`.
  std::vector<double> run(const float* x, const float* background, const double* f00, const double* f11, int budget) {
    x_ = x;
    background_ = background;
    const int m = tree_.featureCount();
    std::vector<double> dvalues(static_cast<size_t>(2 * m - 1) * k_, 0.0);
    arena_.clear();
    store_.clear();
    const int lo = storeValues(f00), hi = storeValues(f11);
    std::priority_queue<Entry, std::vector<Entry>, PopsFirst> heap;
    long long order = 0;
    heap.push({0.0, order++, tree_.root(), -1, lo, hi, 1.0});
    long long evals = 0;
    std::vector<Entry> expanded;
    std::vector<int> masks;  // context of each queued mask
    while (!heap.empty()) {
      if (evals >= budget) {  // out of budget: leave what is left on the internal nodes
        while (!heap.empty()) {
          addCredit(dvalues, heap.top());
          heap.pop();
        }
        break;
      }
      expanded.clear();
      masks.clear();
      while (!heap.empty() && static_cast<int>(masks.size()) < batchSize_ &&
             evals + static_cast<long long>(masks.size()) < budget) {
        const Entry e = heap.top();
        heap.pop();
        if (tree_.isLeaf(e.node)) {
          addCredit(dvalues, e);
          continue;
        }
        expanded.push_back(e);
        masks.push_back(link(tree_.left(e.node), e.context));   // m10
        masks.push_back(link(tree_.right(e.node), e.context));  // m01
      }
      if (masks.empty()) continue;
      const std::vector<double> out = evaluate(masks);
      evals += static_cast<long long>(masks.size());
      for (size_t i = 0; i < expanded.size(); ++i) {
        const Entry& e = expanded[i];
        const int f10 = storeValues(out.data() + 2 * i * k_), f01 = storeValues(out.data() + (2 * i + 1) * k_);
        const int m10 = masks[2 * i], m01 = masks[2 * i + 1];
        const double w = e.weight / 2;
        const int l = tree_.left(e.node), r = tree_.right(e.node);
        heap.push({priority(e.fLo, f10, w), order++, l, e.context, e.fLo, f10, w});
        heap.push({priority(e.fLo, f01, w), order++, r, e.context, e.fLo, f01, w});
        heap.push({priority(f01, e.fHi, w), order++, l, m01, f01, e.fHi, w});
        heap.push({priority(f10, e.fHi, w), order++, r, m10, f10, e.fHi, w});
      }
    }
    return dvalues;
  }

 private:
  int storeValues(const double* f) {
    const int offset = static_cast<int>(store_.size());
    store_.insert(store_.end(), f, f + k_);
    return offset;
  }
  int link(int node, int parent) {
    arena_.push_back({node, parent});
    return static_cast<int>(arena_.size()) - 1;
  }
  double priority(int lo, int hi, double weight) const {
    double m = 0.0;
    for (int k = 0; k < k_; ++k) m = std::max(m, std::abs(store_[hi + k] - store_[lo + k]));
    return -m * weight;
  }
  void addCredit(std::vector<double>& dvalues, const Entry& e) const {
    for (int k = 0; k < k_; ++k)
      dvalues[static_cast<size_t>(e.node) * k_ + k] += (store_[e.fHi + k] - store_[e.fLo + k]) * e.weight;
  }

  // Builds every masked row straight into one channel-last buffer and calls the model once.
  std::vector<double> evaluate(const std::vector<int>& masks) {
    const size_t m = static_cast<size_t>(tree_.featureCount());
    buffer_.resize(masks.size() * m);
    for (size_t i = 0; i < masks.size(); ++i) {
      float* row = buffer_.data() + i * m;
      if (masker_.kind == MaskerSpec::Kind::Inpaint) {
        // Inpainting depends on which pixels are hidden: mark the context's boxes, then inpaint.
        present_.assign(m, 0);
        for (int c = masks[i]; c >= 0; c = arena_[c].parent) markBox(tree_.box(arena_[c].node));
        const std::vector<float> image =
            maskedImage(masker_, x_, present_.data(), tree_.height(), tree_.width(), tree_.channels());
        std::memcpy(row, image.data(), m * sizeof(float));
        continue;
      }
      std::memcpy(row, background_, m * sizeof(float));
      for (int c = masks[i]; c >= 0; c = arena_[c].parent) copyBox(row, tree_.box(arena_[c].node));
    }
    const int outputs = model_.outputCount();
    std::vector<double> all(masks.size() * outputs);
    model_.evaluate(buffer_, static_cast<int>(masks.size()), Layout::NHWC, all);
    rows_ += static_cast<long long>(masks.size());
    progress_.report(rows_, totalRows_);
    std::vector<double> selected(masks.size() * k_);
    for (size_t i = 0; i < masks.size(); ++i)
      for (int k = 0; k < k_; ++k) selected[i * k_ + k] = all[i * outputs + targets_[k]];
    return selected;
  }

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

  const MaskerSpec& masker_;
  std::vector<uint8_t> present_;
  Model& model_;
  const PartitionTree& tree_;
  const std::vector<int>& targets_;
  int k_, batchSize_;
  Progress& progress_;
  long long& rows_;
  long long totalRows_;
  const float* x_ = nullptr;
  const float* background_ = nullptr;
  std::vector<ContextLink> arena_;
  std::vector<double> store_;
  std::vector<float> buffer_;
};

// shap's lower_credit: every node passes its value to its children in proportion to size.
void lowerCredit(const PartitionTree& tree, std::vector<double>& values, int k) {
  for (int node = tree.root(); node >= tree.featureCount(); --node) {  // parents have larger ids
    const double size = static_cast<double>(tree.size(node));
    const int l = tree.left(node), r = tree.right(node);
    const double ls = static_cast<double>(tree.size(l)), rs = static_cast<double>(tree.size(r));
    for (int j = 0; j < k; ++j) {
      const double v = values[static_cast<size_t>(node) * k + j];
      values[static_cast<size_t>(l) * k + j] += v * ls / size;
      values[static_cast<size_t>(r) * k + j] += v * rs / size;
    }
  }
}

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
    OwenRecursion owen(model, tree, targets, options.batchSize, progress, rows, totalRows, options.masker);
    std::vector<double> values = owen.run(x.data(), background.data(), lo.data(), hi.data(), options.maxEvals - 2);
    lowerCredit(tree, values, k);
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
