#include <algorithm>
#include <numeric>
#include <random>

#include "TestModels.h"
#include "TestSupport.h"
#include "explain/GroupShapley.h"
#include "model/ModelInput.h"
#include "sky/HarmonicFilters.h"

using namespace sky;
using skytest::FunctionModel;

namespace {

// Shapley values by their definition: the mean marginal contribution over all G! orderings.
std::vector<double> byOrderings(int players, const std::vector<double>& v) {
  std::vector<int> order(static_cast<size_t>(players));
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> phi(static_cast<size_t>(players), 0.0);
  double count = 0;
  do {
    uint32_t s = 0;
    for (int g : order) {
      phi[static_cast<size_t>(g)] += v[s | (1u << g)] - v[s];
      s |= 1u << g;
    }
    ++count;
  } while (std::next_permutation(order.begin(), order.end()));
  for (double& p : phi) p /= count;
  return phi;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

}  // namespace

TEST(GroupShapley, EqualsTheMeanOverEveryOrdering) {
  const int players = 5;
  std::mt19937 rng(4);
  std::normal_distribution<double> gauss;
  std::vector<double> v(1u << players);
  for (double& x : v) x = gauss(rng);  // any set function, far from additive
  Progress progress;
  const GroupShapley r = exactShapley(
      players, 1,
      [&](const std::vector<uint32_t>& coalitions) {
        std::vector<double> out;
        for (uint32_t s : coalitions) out.push_back(v[s]);
        return out;
      },
      7, progress);
  const std::vector<double> expected = byOrderings(players, v);
  for (int g = 0; g < players; ++g)
    EXPECT_NEAR(r.values[static_cast<size_t>(g)], expected[static_cast<size_t>(g)], 1e-12);
  EXPECT_NEAR(std::accumulate(r.values.begin(), r.values.end(), 0.0), v.back() - v.front(), 1e-12);  // efficiency
  EXPECT_EQ(r.rowsEvaluated, 32);
  skytest::expectSkyError([&] { GroupSpec::parse("regions:2"); }, ErrorKind::InvalidArgument, "--method partition");
  skytest::expectSkyError([&] { GroupSpec::parse("lbands:10,5"); }, ErrorKind::Usage, "must increase");
  EXPECT_EQ(GroupSpec::parse("lbands:2,10,30").text(), "lbands:2,10,30");
}

// A model additive over channels: each channel's value is exactly its own term.
TEST(GroupShapley, ChannelsOfAnAdditiveModelGetTheirOwnTerms) {
  const ImageShape shape{3, 4, 8};
  const double a[] = {2.0, -1.0, 0.5};
  FunctionModel model(shape, 1, [&](const std::vector<double>& chw) {
    double y = 0;
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 32; ++i)
        y += a[c] * chw[static_cast<size_t>(c) * 32 + i] * chw[static_cast<size_t>(c) * 32 + i];
    return std::vector<double>{y};
  });
  const auto values = skytest::randomValues(96, 2);
  ImageBatch batch{shape, 1, std::vector<float>(values.begin(), values.end())};
  Progress progress;
  const GroupShapley r = channelShapley(model, batch, 0.0, 3, progress);
  ASSERT_EQ(r.groups.size(), 3u);
  for (int c = 0; c < 3; ++c) {
    double own = 0;
    for (int i = 0; i < 32; ++i) own += a[c] * std::pow(batch.nchw[static_cast<size_t>(c) * 32 + i], 2);
    EXPECT_NEAR(r.values[static_cast<size_t>(c)], own, 1e-9 * std::abs(own) + 1e-12) << c;
  }
}

// A linear model sees a map as the sum of its band components: each band's value is the
// model's response to that band alone (computed here from bandPass and the projection).
TEST(GroupShapley, BandsOfALinearModelAreTheirComponentsResponses) {
  const int nside = 16;
  const auto values = skytest::randomValues(static_cast<size_t>(npixForNside(nside)), 9, 100.0);
  SkyMap map(nside, Ordering::Ring, {std::vector<double>(values.begin(), values.end())});
  map.field(0)[100] = kUnseen;
  const ImageShape shape{1, 16, 32};
  const auto weights = skytest::randomValues(static_cast<size_t>(shape.size()), 3);
  const std::vector<double> w(weights.begin(), weights.end());
  FunctionModel model(shape, 1, [&](const std::vector<double>& chw) { return std::vector<double>{dot(w, chw)}; });
  ModelCard card = model.card();
  const GroupSpec spec = GroupSpec::parse("lbands:0,8,20,48");
  Progress progress;
  const GroupShapley r = mapGroupShapley(model, map, card, spec, "test map", 16, progress);
  ASSERT_EQ(r.groups.size(), 3u);
  const int edges[] = {0, 8, 20, 48};
  for (int b = 0; b < 3; ++b) {
    Image part = projectForModel(bandPass(map, edges[b], edges[b + 1] - 1, BandMode::Keep), card, "band");
    for (double& v : part.data())
      if (isMasked(v)) v = 0.0;  // the masked pixel stays masked (the fill value, 0) in every coalition
    const double expected = dot(w, part.data());
    EXPECT_NEAR(r.values[static_cast<size_t>(b)], expected, 1e-6 * std::abs(expected) + 1e-6) << b;
    EXPECT_EQ(r.groups[static_cast<size_t>(b)].lmin, edges[b]);
  }
  EXPECT_NEAR(r.values[0] + r.values[1] + r.values[2], r.full[0] - r.empty[0], 1e-6 * std::abs(r.full[0]));
}

// A model that reads only the image's first two rows (cartview row 0 is latitude -90, as
// healpy's array) gives the northern and equatorial regions of an nside-1 grid nothing, and
// puts the whole difference f(x) - f(none) in the south.
TEST(GroupShapley, RegionsAModelDoesNotReadGetNothing) {
  const int nside = 8;
  const SkyMap map = SkyMap::filled(nside, 1, 1.0);
  const ImageShape shape{1, 16, 32};
  FunctionModel model(shape, 1, [&](const std::vector<double>& chw) {
    double y = 0;
    for (int i = 0; i < 2 * 32; ++i) y += chw[static_cast<size_t>(i)] * (1 + i % 3);  // rows 0-1: latitude < -67 deg
    return std::vector<double>{y};
  });
  Progress progress;
  const GroupShapley r = mapGroupShapley(model, map, model.card(), GroupSpec::parse("regions:1"), "ones", 64, progress);
  ASSERT_EQ(r.groups.size(), 12u);
  for (int g = 0; g < 8; ++g) EXPECT_NEAR(r.values[static_cast<size_t>(g)], 0.0, 1e-12) << g;  // north and equator
  double south = 0;
  for (int g = 8; g < 12; ++g) south += r.values[static_cast<size_t>(g)];
  EXPECT_GT(south, 0.0);
  EXPECT_NEAR(south, r.full[0] - r.empty[0], 1e-9);
  EXPECT_EQ(r.groups[5].pixels, std::vector<int64_t>{5});
}
