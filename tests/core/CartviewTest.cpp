#include "TestSupport.h"
#include "io/HealpixFits.h"
#include "sky/Cartview.h"

using namespace sky;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::fixture;

TEST(Cartview, GridMatchesHealpyReference) {
  const CartviewGrid grid = CartviewGrid::forWidth(64);
  EXPECT_EQ(grid.height, 32);
  const auto lat = fixture("grid_xsize64_lat_deg.npy").values;
  const auto phi = fixture("grid_xsize64_phi_deg.npy").values;
  ASSERT_EQ(lat.size(), 32u);
  ASSERT_EQ(phi.size(), 64u);
  for (int i = 0; i < 32; ++i) EXPECT_NEAR(grid.latitudeDeg[i], lat[i], 1e-12);
  for (int j = 0; j < 64; ++j) EXPECT_NEAR(grid.longitudeDeg[j], phi[j], 1e-12);
  EXPECT_EQ(grid.latitudeDeg.front(), -90.0);   // row 0 is the south pole
  EXPECT_EQ(grid.longitudeDeg.front(), 180.0);  // column 0 is phi = +180 (astro flip)
}

TEST(Cartview, HeightUsesPythonRounding) {
  EXPECT_EQ(CartviewGrid::forWidth(65).height, 32);  // round(32.5) = 32
  EXPECT_EQ(CartviewGrid::forWidth(67).height, 34);  // round(33.5) = 34
  EXPECT_EQ(CartviewGrid::forWidth(7).height, 4);    // round(3.5) = 4
}

TEST(Cartview, ReferencePixelsAndValuesExactly) {
  const SkyMap map = readHealpixFits(dataPath("sky/T_n16_0.fits"));
  const CartviewGrid grid = CartviewGrid::forWidth(64);
  const auto pix = cartviewPixels(grid, 16);
  const auto refPix = fixture("pix_nside16_xsize64.npy").values;
  ASSERT_EQ(pix.size(), refPix.size());
  for (size_t k = 0; k < pix.size(); ++k) ASSERT_EQ(static_cast<double>(pix[k]), refPix[k]) << "image pixel " << k;
  const Image img = projectCartview(map, grid);
  const auto refImg = fixture("T_n16_0_xsize64.npy").values;
  EXPECT_EQ(img.data(), refImg);
}

class CartviewCases : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(CartviewCases, AllFieldsMatchHealpyBitForBit) {
  const auto [nside, xsize] = GetParam();
  const std::string stem = "cart_n" + std::to_string(nside) + "_x" + std::to_string(xsize);
  const SkyMap map = readHealpixFits(dataPath("sky/" + stem + ".fits"));
  const CartviewGrid grid = CartviewGrid::forWidth(xsize);
  const auto refPix = fixture(stem + "_pix.npy");
  ASSERT_EQ(refPix.shape, (std::vector<size_t>{static_cast<size_t>(grid.height), static_cast<size_t>(xsize)}));
  const auto pix = cartviewPixels(grid, nside);
  for (size_t k = 0; k < pix.size(); ++k) ASSERT_EQ(static_cast<double>(pix[k]), refPix.values[k]) << "pixel " << k;
  const Image img = projectCartview(map, grid);
  EXPECT_EQ(img.channels(), 3);
  EXPECT_EQ(img.data(), fixture(stem + "_img.npy").values);
}

INSTANTIATE_TEST_SUITE_P(NsidesAndWidths, CartviewCases,
                         ::testing::Values(std::pair{8, 65}, std::pair{16, 101}, std::pair{32, 67}, std::pair{4, 7},
                                           std::pair{64, 200}));

TEST(Cartview, NorthPoleRowIsPixelZero) {
  for (int xsize : {10, 63, 101}) {
    const CartviewGrid grid = CartviewGrid::forWidth(xsize);
    const auto pix = cartviewPixels(grid, 64);
    for (int j = 0; j < xsize; ++j) EXPECT_EQ(pix[static_cast<size_t>(grid.height - 1) * xsize + j], 0);
  }
}

TEST(Cartview, SelectsFields) {
  const SkyMap map = readHealpixFits(dataPath("sky/tqu_n16.fits"));
  const CartviewGrid grid = CartviewGrid::forWidth(40);
  const Image all = projectCartview(map, grid);
  const Image u = projectCartview(map, grid, {2});
  ASSERT_EQ(u.channels(), 1);
  EXPECT_TRUE(std::equal(u.plane(0).begin(), u.plane(0).end(), all.plane(2).begin()));
  expectSkyError([&] { projectCartview(map, grid, {3}); }, ErrorKind::InvalidArgument, "does not exist");
}

TEST(Cartview, RejectsBadWidth) {
  expectSkyError([] { CartviewGrid::forWidth(1); }, ErrorKind::InvalidArgument, "at least 2");
  expectSkyError([] { CartviewGrid::forWidth(-5); }, ErrorKind::InvalidArgument, "at least 2");
}
