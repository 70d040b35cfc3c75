#pragma once
// The HEALPix NESTED hierarchy as a binary coalition tree over the 12 N^2 pixels of nside N:
// the root splits the 12 base pixels 6 + 6, then 3 + 3, then 1 + 2 and 1 + 1; every pixel's
// four NESTED children split two by two ({0,1} | {2,3}), then one by one, down to nside N.
// Every node covers a contiguous run of NESTED pixel numbers, and leaf p is NESTED pixel p.
#include <cstdint>
#include <vector>

#include "explain/OwenRecursion.h"

namespace sky {

struct NestedRange {
  int64_t first = 0, end = 0;  // NESTED pixels [first, end) at the tree's nside
};

class HealpixTree final : public CoalitionTree {
 public:
  explicit HealpixTree(int nside);  // a power of two, 1 .. 1024

  int nside() const { return nside_; }
  int featureCount() const override { return m_; }
  int left(int node) const override { return children_[static_cast<size_t>(node - m_) * 2]; }
  int right(int node) const override { return children_[static_cast<size_t>(node - m_) * 2 + 1]; }
  long long size(int node) const override { return range(node).end - range(node).first; }
  NestedRange range(int node) const {
    return node < m_ ? NestedRange{node, node + 1} : ranges_[static_cast<size_t>(node - m_)];
  }

 private:
  int nside_, m_;
  std::vector<int> children_;        // (M-1) x 2
  std::vector<NestedRange> ranges_;  // (M-1) internal nodes
};

}  // namespace sky
