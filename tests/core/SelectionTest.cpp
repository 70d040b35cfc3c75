// Selections: regions against healpy's query_disc and healpix_cxx geometry, set algebra of the
// modes, resolution changes, top-fraction regions and mask files.
#include <healpix_cxx/healpix_base.h>

#include <numbers>
#include <set>

#include "TestSupport.h"
#include "io/HealpixFits.h"
#include "select/Selection.h"

namespace {

constexpr double kPi = std::numbers::pi;

std::set<int64_t> pixelsOf(const sky::SkyMask& m) {
  std::set<int64_t> s;
  for (size_t p = 0; p < m.inside.size(); ++p)
    if (m.inside[p]) s.insert(static_cast<int64_t>(p));
  return s;
}

sky::DiscRegion disc(double theta, double phi, double radius) { return {{theta, phi}, radius}; }

}  // namespace

TEST(Selection, DiscsMatchHealpyQueryDisc) {
  const struct {
    int nside;
    double theta, phi, radius;
  } discs[] = {{16, 1.2, 0.7, 0.35}, {32, 0.1, 4.0, 0.3}, {64, 2.0, 0.05, 0.2}};  // as make_select_fixtures.py
  for (int k = 0; k < 3; ++k) {
    const auto expected = sky::readNpy(skytest::dataPath("select/disc_" + std::to_string(k) + ".npy"));
    std::set<int64_t> want;
    for (double v : expected.values) want.insert(static_cast<int64_t>(v));
    const auto got = pixelsOf(sky::regionMask(disc(discs[k].theta, discs[k].phi, discs[k].radius), discs[k].nside));
    EXPECT_EQ(got, want) << "disc " << k;
    EXPECT_GT(want.size(), 20u);
  }
}

TEST(Selection, ModesAreSetAlgebra) {
  const int nside = 16;
  const sky::Region a = disc(1.4, 0.5, 0.6), b = disc(1.6, 1.0, 0.6);
  const auto A = pixelsOf(sky::regionMask(a, nside)), B = pixelsOf(sky::regionMask(b, nside));
  std::set<int64_t> uni, inter, diff, sym;
  std::set_union(A.begin(), A.end(), B.begin(), B.end(), std::inserter(uni, uni.end()));
  std::set_intersection(A.begin(), A.end(), B.begin(), B.end(), std::inserter(inter, inter.end()));
  std::set_difference(A.begin(), A.end(), B.begin(), B.end(), std::inserter(diff, diff.end()));
  std::set_symmetric_difference(A.begin(), A.end(), B.begin(), B.end(), std::inserter(sym, sym.end()));
  ASSERT_FALSE(inter.empty());
  ASSERT_FALSE(diff.empty());
  const sky::Selection first = sky::Selection().combined(sky::SelectionMode::Replace, a);
  EXPECT_EQ(pixelsOf(first.combined(sky::SelectionMode::Add, b).maskFor(nside)), uni);
  EXPECT_EQ(pixelsOf(first.combined(sky::SelectionMode::Intersect, b).maskFor(nside)), inter);
  EXPECT_EQ(pixelsOf(first.combined(sky::SelectionMode::Subtract, b).maskFor(nside)), diff);
  EXPECT_EQ(pixelsOf(first.combined(sky::SelectionMode::Toggle, b).maskFor(nside)), sym);
  EXPECT_EQ(pixelsOf(first.combined(sky::SelectionMode::Replace, b).maskFor(nside)), B);
  // Inverting gives the complement; the first gesture starts a selection whatever the mode.
  EXPECT_EQ(first.inverted().maskFor(nside).count(), sky::npixForNside(nside) - static_cast<int64_t>(A.size()));
  EXPECT_EQ(pixelsOf(sky::Selection().combined(sky::SelectionMode::Intersect, b).maskFor(nside)), B);
  EXPECT_EQ(sky::Selection().maskFor(nside).count(), 0);
  EXPECT_EQ(sky::parseSelectionMode("subtract"), sky::SelectionMode::Subtract);
  EXPECT_THROW(sky::parseSelectionMode("xor"), sky::SkyError);
}

TEST(Selection, LonLatBoxMatchesHealpixGeometryAndArea) {
  const int nside = 64;
  sky::PolygonRegion box{sky::ProjectionPlane::LonLat, {{-30, -20}, {30, -20}, {30, 20}, {-30, 20}}};
  const auto mask = sky::regionMask(box, nside);
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  int64_t expected = 0;
  for (int64_t p = 0; p < base.Npix(); ++p) {
    const pointing d = base.pix2ang(p);
    double lon = d.phi * 180 / kPi;
    if (lon > 180) lon -= 360;
    const double lat = 90 - d.theta * 180 / kPi;
    const bool in = std::abs(lon) < 30 && std::abs(lat) < 20;
    expected += in;
    ASSERT_EQ(mask.inside[static_cast<size_t>(p)] != 0, in) << p;
  }
  EXPECT_EQ(mask.count(), expected);
  // Area of the box: (60 deg in radians) * (sin 20 - sin(-20)) over 4 pi.
  const double area = (60 * kPi / 180) * 2 * std::sin(20 * kPi / 180) / (4 * kPi);
  EXPECT_NEAR(static_cast<double>(expected) / base.Npix(), area, 0.05 * area);
}

TEST(Selection, MollweidePolygonFollowsTheProjection) {
  const int nside = 32;
  // A triangle in healpy's Mollweide plane; longitude grows to the left (x < 0 is phi > 0... east).
  sky::PolygonRegion tri{sky::ProjectionPlane::Mollweide, {{-1.0, -0.5}, {1.0, -0.5}, {0.0, 0.8}}};
  const auto mask = sky::regionMask(tri, nside);
  EXPECT_GT(mask.count(), 100);
  // The galactic centre (0, 0) is inside, the anticentre and the poles are not.
  EXPECT_TRUE(mask.inside[static_cast<size_t>(sky::ringPixelAt(nside, {kPi / 2, 0.01}))]);
  EXPECT_FALSE(mask.inside[static_cast<size_t>(sky::ringPixelAt(nside, {kPi / 2, kPi}))]);
  EXPECT_FALSE(mask.inside[0]);
  // Every selected pixel's projected centre is inside the triangle's bounding box.
  for (size_t p = 0; p < mask.inside.size(); ++p) {
    if (!mask.inside[p]) continue;
    const sky::PlanePoint q = sky::mollweideForward(sky::ringPixelCentre(nside, static_cast<int64_t>(p)));
    ASSERT_TRUE(q.x > -1.0 && q.x < 1.0 && q.y > -0.5 && q.y < 0.8);
  }
}

TEST(Selection, ValueRangesCarryAcrossResolutions) {
  // A value range brushed on an nside-8 map, read at nside 32: every child pixel follows its
  // parent (NESTED parent = child >> 4, through healpix_cxx's RING/NESTED conversion).
  const auto values = skytest::randomValues(static_cast<size_t>(sky::npixForNside(8)), 3);
  auto map = std::make_shared<const sky::SkyMap>(8, sky::Ordering::Ring, std::vector<std::vector<double>>{values});
  const sky::ValueRangeRegion range{"random", map, 0.5, 1.5, false};
  const auto coarse = sky::regionMask(range, 8), fine = sky::regionMask(range, 32);
  const T_Healpix_Base<int64_t> b8(8, RING, SET_NSIDE), b32(32, RING, SET_NSIDE);
  for (int64_t p = 0; p < b32.Npix(); ++p) {
    const int64_t parentNest = b32.ring2nest(p) >> 4;
    ASSERT_EQ(fine.inside[static_cast<size_t>(p)], coarse.inside[static_cast<size_t>(b8.nest2ring(parentNest))]) << p;
  }
  for (size_t p = 0; p < values.size(); ++p) EXPECT_EQ(coarse.inside[p] != 0, values[p] >= 0.5 && values[p] <= 1.5);
}

TEST(Selection, TopFractionHoldsTheLargestAbsoluteValues) {
  auto values = skytest::randomValues(static_cast<size_t>(sky::npixForNside(16)), 9);
  values[5] = sky::kUnseen;
  auto map = std::make_shared<const sky::SkyMap>(16, sky::Ordering::Ring, std::vector<std::vector<double>>{values});
  const auto region = sky::topFractionRegion(map, "a", 0.05, true);
  const auto mask = sky::regionMask(region, 16);
  std::vector<double> sorted;
  for (double v : values)
    if (!sky::isMasked(v)) sorted.push_back(std::abs(v));
  std::sort(sorted.rbegin(), sorted.rend());
  const auto keep = static_cast<int64_t>(std::llround(0.05 * static_cast<double>(sorted.size())));
  EXPECT_EQ(mask.count(), keep);
  EXPECT_EQ(mask.inside[5], 0);
  for (size_t p = 0; p < values.size(); ++p) {
    if (mask.inside[p]) {
      EXPECT_GE(std::abs(values[p]), sorted[static_cast<size_t>(keep - 1)]);
    }
  }
  EXPECT_THROW(sky::topFractionRegion(map, "a", 0.0, true), sky::SkyError);
}

TEST(Selection, MaskFilesRoundTrip) {
  const auto sel = sky::Selection().combined(sky::SelectionMode::Replace, disc(1.0, 2.0, 0.5));
  const auto mask = sel.maskFor(32);
  const auto path = std::filesystem::temp_directory_path() / "sky_selection_mask_test.fits";
  std::filesystem::remove(path);
  sky::writeHealpixFits(sky::maskToMap(mask), path);
  const auto region = sky::pixelSetFromMap(sky::readHealpixFits(path), "mask.fits");
  std::filesystem::remove(path);
  EXPECT_EQ(sky::regionMask(region, 32).inside, mask.inside);
  // Read at a finer resolution, the loaded mask still covers the same area (to pixel edges).
  EXPECT_NEAR(static_cast<double>(sky::regionMask(region, 64).count()) / 4.0, static_cast<double>(mask.count()), 1e-9);
}
