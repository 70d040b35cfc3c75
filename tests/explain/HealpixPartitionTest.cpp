#include <cmath>
#include <numeric>

#include "TestModels.h"
#include "TestSupport.h"
#include "explain/HealpixPartition.h"
#include "explain/HealpixTree.h"
#include "sky/Cartview.h"
#include "sky/Mollweide.h"
#include "sky/NestedToRing.h"

using namespace sky;
using skytest::FunctionModel;

namespace {

// The NESTED pixel at `nside` of every image pixel's centre direction, row-major: computed
// from the grid's latitudes and longitudes, not from the explainer's sampled pixels.
std::vector<int64_t> nestedPixelOfImagePixels(int width, int nside) {
  const CartviewGrid grid = CartviewGrid::forWidth(width);
  const NestedToRing toRing(nside);
  std::vector<int64_t> nestedOfRing(static_cast<size_t>(12 * nside * nside));
  for (int64_t p = 0; p < static_cast<int64_t>(nestedOfRing.size()); ++p)
    nestedOfRing[static_cast<size_t>(toRing(p))] = p;
  std::vector<int64_t> out;
  for (int h = 0; h < grid.height; ++h)
    for (int w = 0; w < grid.width; ++w) {
      const double theta = (90.0 - grid.latitudeDeg[static_cast<size_t>(h)]) * M_PI / 180.0;
      double phi = grid.longitudeDeg[static_cast<size_t>(w)] * M_PI / 180.0;
      if (phi < 0) phi += 2 * M_PI;
      out.push_back(nestedOfRing[static_cast<size_t>(ringPixelAt(nside, {theta, phi}))]);
    }
  return out;
}

double sum(const std::vector<double>& v, size_t first, size_t count) {
  return std::accumulate(v.begin() + static_cast<std::ptrdiff_t>(first),
                         v.begin() + static_cast<std::ptrdiff_t>(first + count), 0.0);
}

}  // namespace

TEST(HealpixTree, SplitsTheNestedHierarchyTwoByTwo) {
  for (const int nside : {1, 2, 8}) {
    const HealpixTree tree(nside);
    const int m = 12 * nside * nside;
    ASSERT_EQ(tree.featureCount(), m);
    EXPECT_EQ(tree.range(tree.root()).first, 0);
    EXPECT_EQ(tree.range(tree.root()).end, m);
    EXPECT_EQ(tree.size(tree.left(tree.root())), 6LL * nside * nside);  // the base pixels 6 + 6
    std::vector<int> reached(static_cast<size_t>(m), 0);
    for (int node = m; node <= tree.root(); ++node) {
      const int l = tree.left(node), r = tree.right(node);
      ASSERT_LT(l, node);
      ASSERT_LT(r, node);
      // Children are the two contiguous halves of their parent's NESTED run.
      EXPECT_EQ(tree.range(l).first, tree.range(node).first);
      EXPECT_EQ(tree.range(l).end, tree.range(r).first);
      EXPECT_EQ(tree.range(r).end, tree.range(node).end);
      // A whole NESTED pixel of a coarser level (4^d aligned pixels, d >= 1) splits into two
      // pairs of its four children.
      const long long size = tree.size(node);
      const bool wholePixel = (size & (size - 1)) == 0 && std::countr_zero(static_cast<uint64_t>(size)) % 2 == 0 &&
                              size <= 1LL * nside * nside && tree.range(node).first % size == 0;
      if (wholePixel) {
        EXPECT_EQ(tree.size(l), size / 2) << node;
      }
      for (const int child : {l, r})
        if (tree.isLeaf(child)) ++reached[static_cast<size_t>(child)];
    }
    for (int p = 0; p < m; ++p) EXPECT_EQ(reached[static_cast<size_t>(p)], 1) << p;  // each pixel a leaf once
  }
  skytest::expectSkyError([] { HealpixTree(3); }, ErrorKind::InvalidArgument, "power of two");
}

// Owen values of a model additive over image pixels are each region's own term, whatever
// the tree: here the 12 base pixels, with every node expanded.
TEST(HealpixPartition, RegionsOfAnAdditiveModelGetTheirOwnTerms) {
  const int nside = 8;
  const auto values = skytest::randomValues(static_cast<size_t>(npixForNside(nside)), 5, 2.0);
  const SkyMap map(nside, Ordering::Ring, {std::vector<double>(values.begin(), values.end())});
  const ImageShape shape{1, 16, 32};
  auto weights = skytest::randomValues(static_cast<size_t>(shape.size()), 6);
  // Rows 0 and H-1 are the poles and columns 0 and W-1 longitude +-180 deg, edges between
  // base pixels, where which face a direction falls in is a matter of rounding: the model
  // ignores those pixels.
  for (int h = 0; h < shape.height; ++h)
    for (int w = 0; w < shape.width; ++w)
      if (h == 0 || h == shape.height - 1 || w == 0 || w == shape.width - 1)
        weights[static_cast<size_t>(h * shape.width + w)] = 0.0;
  FunctionModel model(shape, 1, [&](const std::vector<double>& chw) {
    double y = 0;
    for (size_t i = 0; i < chw.size(); ++i) y += weights[i] * chw[i] * chw[i];
    return std::vector<double>{y};
  });
  HealpixPartitionOptions options;
  options.treeNside = 1;
  options.maxEvals = 10000;
  Progress progress;
  const SphereAttribution a = explainPartitionHealpix(model, map, model.card(), options, "random map", progress);
  ASSERT_EQ(a.values.size(), 12u);
  const std::vector<int64_t> base = nestedPixelOfImagePixels(shape.width, 1);
  const std::vector<int64_t> sampled = cartviewPixels(CartviewGrid::forWidth(shape.width), nside);
  std::vector<double> own(12, 0.0);
  for (size_t i = 0; i < base.size(); ++i) {
    const double v = static_cast<float>(map.field(0)[static_cast<size_t>(sampled[i])]);  // model input is float
    own[static_cast<size_t>(base[i])] += weights[i] * v * v;  // the absent value is the fill, 0
  }
  const NestedToRing toRing(1);
  for (int p = 0; p < 12; ++p)
    EXPECT_NEAR(a.values[static_cast<size_t>(toRing(p))], own[static_cast<size_t>(p)], 1e-9) << p;
  EXPECT_NEAR(sum(a.values, 0, 12), a.outputs[0] - a.baseValues[0], 1e-9);
  EXPECT_LT(a.modelRowsEvaluated, 10000);  // every node expanded before the budget ran out
}

// A model that reads only the image pixels inside one nside-2 pixel puts every Owen value in
// that pixel's four nside-4 children, and efficiency holds: nothing else is credited, though
// the model is far from additive.
TEST(HealpixPartition, AModelReadingOneRegionPutsItsMassThere) {
  const int nside = 16, region = 17;  // NESTED at nside 2
  const auto values = skytest::randomValues(static_cast<size_t>(npixForNside(nside)), 8, 1.0);
  SkyMap map(nside, Ordering::Ring, {std::vector<double>(values.begin(), values.end())});
  const ImageShape shape{1, 32, 64};
  const std::vector<int64_t> at2 = nestedPixelOfImagePixels(shape.width, 2);
  FunctionModel model(shape, 2, [&](const std::vector<double>& chw) {
    double s = 0, q = 0;
    for (size_t i = 0; i < chw.size(); ++i)
      if (at2[i] == region) {
        s += chw[i];
        q += chw[i] * chw[i];
      }
    return std::vector<double>{std::tanh(s) * q, std::exp(-q / 10)};
  });
  HealpixPartitionOptions options;
  options.treeNside = 4;
  options.maxEvals = 600;
  options.batchSize = 16;
  options.absentValue = 0.5;  // absent sky pixels hold 0.5 map units
  Progress progress;
  const SphereAttribution a = explainPartitionHealpix(model, map, model.card(), options, "random map", progress);
  ASSERT_EQ(a.targetIndex.size(), 2u);
  const size_t m = 192;
  ASSERT_EQ(a.values.size(), 2 * m);
  const NestedToRing toRing(4);
  for (size_t k = 0; k < 2; ++k) {
    double inside = 0;
    for (int64_t p = 0; p < static_cast<int64_t>(m); ++p) {
      const double v = a.values[k * m + static_cast<size_t>(toRing(p))];
      if (p / 4 == region) {
        inside += v;
      } else {
        EXPECT_EQ(v, 0.0) << "target " << k << " pixel " << p;
      }
    }
    const double total = a.outputs[k] - a.baseValues[k];
    EXPECT_GT(std::abs(total), 1e-3);
    EXPECT_NEAR(inside, total, 1e-9 * (1 + std::abs(total)));
    EXPECT_NEAR(sum(a.values, k * m, m), total, 1e-9 * (1 + std::abs(total)));
  }
  EXPECT_LE(a.modelRowsEvaluated, 600);
  skytest::expectSkyError(
      [&] {
        options.treeNside = 32;
        explainPartitionHealpix(model, map, model.card(), options, "random map", progress);
      },
      ErrorKind::InvalidArgument, "finer than the map");
}
