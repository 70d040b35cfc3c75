#include "explain/PartitionTree.h"

#include <queue>
#include <string>
#include <tuple>

#include "util/Error.h"

namespace sky {
namespace {

struct Pending {
  FeatureBox geo;  // geometric box (before the point mirror)
  int parent;
  bool isLeft;
};

// Largest box first; ties by (hmin, hmax, wmin, wmax, cmin, cmax), as shap's heapq tuples.
struct LargerFirst {
  bool operator()(const Pending& a, const Pending& b) const {
    const auto key = [](const Pending& p) {
      return std::make_tuple(-p.geo.size(), p.geo.hmin, p.geo.hmax, p.geo.wmin, p.geo.wmax, p.geo.cmin, p.geo.cmax,
                             p.parent, p.isLeft);
    };
    return key(a) > key(b);  // std::priority_queue pops the "largest": invert for a min-heap
  }
};

}  // namespace

PartitionTree::PartitionTree(int height, int width, int channels) : h_(height), w_(width), c_(channels) {
  if (height < 1 || width < 1 || channels < 1) {
    throw SkyError(ErrorKind::InvalidArgument, "partition tree needs a non-empty image");
  }
  const long long m = static_cast<long long>(height) * width * channels;
  if (m < 2 || m > (1LL << 30)) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "partition tree needs between 2 and 2^30 features (got " + std::to_string(m) + ")");
  }
  m_ = static_cast<int>(m);
  children_.assign(static_cast<size_t>(m_ - 1) * 2, -1);
  boxes_.resize(static_cast<size_t>(m_ - 1));
  std::priority_queue<Pending, std::vector<Pending>, LargerFirst> queue;
  queue.push({{0, height, 0, width, 0, channels}, -1, false});
  int next = 2 * m_ - 2;
  while (!queue.empty()) {
    const Pending p = queue.top();
    queue.pop();
    const FeatureBox& g = p.geo;
    int id;
    if (g.size() == 1) {
      // Leaf ids are M-1-g for geometric index g: the tree shap uses is the point mirror.
      id = m_ - 1 - ((g.hmin * width + g.wmin) * channels + g.cmin);
    } else {
      id = next--;
      // Feature-space box = the point mirror of the geometric box.
      boxes_[static_cast<size_t>(id - m_)] = {height - g.hmax, height - g.hmin,   width - g.wmax,
                                              width - g.wmin,  channels - g.cmax, channels - g.cmin};
      const int hw = g.hmax - g.hmin, ww = g.wmax - g.wmin;
      FeatureBox a = g, b = g;
      if (hw >= ww && hw > 1) {
        a.hmax = b.hmin = g.hmin + hw / 2;
      } else if (ww > 1) {
        a.wmax = b.wmin = g.wmin + ww / 2;
      } else {
        a.cmax = b.cmin = g.cmin + (g.cmax - g.cmin) / 2;
      }
      queue.push({a, id, true});
      queue.push({b, id, false});
    }
    if (p.parent >= 0) children_[static_cast<size_t>(p.parent - m_) * 2 + (p.isLeft ? 0 : 1)] = id;
  }
}

FeatureBox PartitionTree::box(int node) const {
  if (node < m_) {
    const int c = node % c_, w = (node / c_) % w_, h = node / (c_ * w_);
    return {h, h + 1, w, w + 1, c, c + 1};
  }
  return boxes_[static_cast<size_t>(node - m_)];
}

std::vector<double> PartitionTree::linkage() const {
  std::vector<double> out;
  out.reserve(static_cast<size_t>(m_ - 1) * 4);
  for (int r = 0; r < m_ - 1; ++r) {
    const int node = m_ + r;
    out.push_back(left(node));
    out.push_back(right(node));
    out.push_back(0.0);
    out.push_back(static_cast<double>(size(node)));
  }
  return out;
}

}  // namespace sky
