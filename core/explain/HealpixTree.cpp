#include "explain/HealpixTree.h"

#include <deque>
#include <string>

#include "sky/SkyMap.h"
#include "util/Error.h"

namespace sky {

HealpixTree::HealpixTree(int nside) : nside_(nside) {
  if (!isValidNside(nside) || nside > 1024) {  // 12.6 M players: far beyond any budget of model rows
    throw SkyError(ErrorKind::InvalidArgument,
                   "tree nside " + std::to_string(nside) + " must be a power of two from 1 to 1024");
  }
  m_ = 12 * nside * nside;
  children_.assign(static_cast<size_t>(m_ - 1) * 2, -1);
  ranges_.resize(static_cast<size_t>(m_ - 1));
  struct Pending {
    NestedRange range;
    int64_t unit;  // pixels in one of the range's parts: a base pixel or a NESTED sub-pixel
    int parent;
    bool isLeft;
  };
  // Breadth first with falling ids, so every parent has a larger id than its children.
  std::deque<Pending> queue{{{0, m_}, static_cast<int64_t>(nside) * nside, -1, false}};
  int next = 2 * m_ - 2;
  while (!queue.empty()) {
    const Pending p = queue.front();
    queue.pop_front();
    const int64_t length = p.range.end - p.range.first;
    int id;
    if (length == 1) {
      id = static_cast<int>(p.range.first);
    } else {
      id = next--;
      ranges_[static_cast<size_t>(id - m_)] = p.range;
      int64_t unit = p.unit, parts = length / unit;
      if (parts == 1) {  // one pixel: its four NESTED children
        unit /= 4;
        parts = 4;
      }
      const int64_t middle = p.range.first + (parts / 2) * unit;
      queue.push_back({{p.range.first, middle}, unit, id, true});
      queue.push_back({{middle, p.range.end}, unit, id, false});
    }
    if (p.parent >= 0) children_[static_cast<size_t>(p.parent - m_) * 2 + (p.isLeft ? 0 : 1)] = id;
  }
}

}  // namespace sky
