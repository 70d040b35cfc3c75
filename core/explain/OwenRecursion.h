#pragma once
// shap 0.52's Partition recursion (its "owen" algorithm) over any binary coalition tree: a
// priority queue of (node, context) pairs, batches of two masks per expanded node, credit left
// on internal nodes when the budget ends, then lowered to the leaves in proportion to size.
// The image explainer (shap's image tree) and the HEALPix explainer (the NESTED hierarchy)
// differ only in their tree and in how a coalition becomes a model input row.
#include <cstddef>
#include <vector>

#include "jobs/Progress.h"
#include "model/Model.h"

namespace sky {

// Leaves 0..M-1 are the features; internal nodes M..2M-2 with the root 2M-2, and every parent
// has a larger id than its children (as shap's scipy linkage).
class CoalitionTree {
 public:
  virtual ~CoalitionTree() = default;
  virtual int featureCount() const = 0;
  virtual int left(int node) const = 0;
  virtual int right(int node) const = 0;
  virtual long long size(int node) const = 0;  // features under the node
  int root() const { return 2 * featureCount() - 2; }
  bool isLeaf(int node) const { return node < featureCount(); }
};

// Builds the model input row of a coalition: the features under `presentNodes` come from x,
// the rest from the masker.
class CoalitionRows {
 public:
  virtual ~CoalitionRows() = default;
  virtual size_t rowSize() const = 0;  // floats per model input row
  virtual Layout layout() const = 0;
  virtual void fill(float* row, const std::vector<int>& presentNodes) = 0;
};

struct OwenRun {
  Model& model;
  const CoalitionTree& tree;
  CoalitionRows& rows;
  const std::vector<int>& targets;  // model outputs explained (K)
  int batchSize;
  Progress& progress;
  long long& rowsEvaluated;  // running count, reported against totalRows
  long long totalRows;
};

// Owen values (M x K, feature-major) for one input, given f(fully masked) and f(x) (K each)
// and the budget of model rows beyond those two. They sum to f(x) - f(masked) per target.
std::vector<double> owenValues(const OwenRun& run, const double* fMasked, const double* fInput, long long budget);

}  // namespace sky
