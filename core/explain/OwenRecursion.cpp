#include "explain/OwenRecursion.h"

#include <algorithm>
#include <cmath>
#include <queue>

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

class Recursion {
 public:
  explicit Recursion(const OwenRun& run) : run_(run), tree_(run.tree), k_(static_cast<int>(run.targets.size())) {}

  // dvalues (2M-1 x K): credit on every node, before lowering.
  std::vector<double> run(const double* f00, const double* f11, long long budget) {
    const int m = tree_.featureCount();
    std::vector<double> dvalues(static_cast<size_t>(2 * m - 1) * k_, 0.0);
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
      while (!heap.empty() && static_cast<int>(masks.size()) < run_.batchSize &&
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

  // Builds every masked row into one buffer and calls the model once.
  std::vector<double> evaluate(const std::vector<int>& masks) {
    const size_t size = run_.rows.rowSize();
    buffer_.resize(masks.size() * size);
    for (size_t i = 0; i < masks.size(); ++i) {
      nodes_.clear();
      for (int c = masks[i]; c >= 0; c = arena_[static_cast<size_t>(c)].parent)
        nodes_.push_back(arena_[static_cast<size_t>(c)].node);
      run_.rows.fill(buffer_.data() + i * size, nodes_);
    }
    const int outputs = run_.model.outputCount();
    std::vector<double> all(masks.size() * outputs);
    run_.model.evaluate(buffer_, static_cast<int>(masks.size()), run_.rows.layout(), all);
    run_.rowsEvaluated += static_cast<long long>(masks.size());
    run_.progress.report(run_.rowsEvaluated, run_.totalRows);
    std::vector<double> selected(masks.size() * k_);
    for (size_t i = 0; i < masks.size(); ++i)
      for (int k = 0; k < k_; ++k) selected[i * k_ + k] = all[i * outputs + run_.targets[static_cast<size_t>(k)]];
    return selected;
  }

  const OwenRun& run_;
  const CoalitionTree& tree_;
  int k_;
  std::vector<ContextLink> arena_;
  std::vector<double> store_;
  std::vector<float> buffer_;
  std::vector<int> nodes_;
};

// shap's lower_credit: every node passes its value to its children in proportion to size.
void lowerCredit(const CoalitionTree& tree, std::vector<double>& values, int k) {
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

std::vector<double> owenValues(const OwenRun& run, const double* fMasked, const double* fInput, long long budget) {
  const int k = static_cast<int>(run.targets.size());
  std::vector<double> values = Recursion(run).run(fMasked, fInput, budget);
  lowerCredit(run.tree, values, k);
  values.resize(static_cast<size_t>(run.tree.featureCount()) * k);  // the leaves
  return values;
}

}  // namespace sky
