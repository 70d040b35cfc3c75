#pragma once
// shap's Image-masker partition tree for an (H, W, C) image (docs/CONVENTIONS.md, "SHAP Partition").
// Nodes 0..M-1 are features (feature id = (h*W + w)*C + c, channel-last); M..2M-2 internal,
// root 2M-2. Every node covers a box of features, so a masked image is built by box copies.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "explain/OwenRecursion.h"

namespace sky {

struct FeatureBox {
  int hmin, hmax, wmin, wmax, cmin, cmax;  // half-open ranges in feature (h, w, c) space
  long long size() const { return static_cast<long long>(hmax - hmin) * (wmax - wmin) * (cmax - cmin); }
};

class PartitionTree final : public CoalitionTree {
 public:
  PartitionTree(int height, int width, int channels);

  int featureCount() const override { return m_; }
  int left(int node) const override { return children_[static_cast<size_t>(node - m_) * 2]; }
  int right(int node) const override { return children_[static_cast<size_t>(node - m_) * 2 + 1]; }
  long long size(int node) const override { return node < m_ ? 1 : box(node).size(); }
  FeatureBox box(int node) const;
  int height() const { return h_; }
  int width() const { return w_; }
  int channels() const { return c_; }

  // scipy-linkage layout [left, right, 0, size], row r = node M + r (shap's clustering).
  std::vector<double> linkage() const;

 private:
  int h_, w_, c_, m_;
  std::vector<int> children_;      // (M-1) x 2
  std::vector<FeatureBox> boxes_;  // (M-1) internal boxes, feature space
};

}  // namespace sky
