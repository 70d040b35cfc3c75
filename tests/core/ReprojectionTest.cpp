#include <healpix_cxx/healpix_base.h>

#include "TestSupport.h"
#include "io/HealpixFits.h"
#include "sky/Cartview.h"
#include "sky/Reprojection.h"

using namespace sky;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::fixture;
using skytest::relativeError;

namespace {
Image imageFrom(const NpyArray& a) {
  if (a.shape.size() == 2) return Image(1, static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]), a.values);
  return Image(static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]), static_cast<int>(a.shape[2]), a.values);
}
}  // namespace

TEST(Reprojection, MatchesReferenceTo1e12) {
  const SkyMap map = reprojectToHealpix(imageFrom(fixture("img_32x64.npy")), 16);
  EXPECT_LT(relativeError(map.field(0), fixture("map_from_img_32x64_nside16.npy").values), 1e-12);
}

TEST(Reprojection, MultiChannelAndOddWidthsMatchIndependentImplementation) {
  const Image img3 = imageFrom(fixture("reproj_img_3x24x48.npy"));
  for (int nside : {8, 32}) {
    const SkyMap map = reprojectToHealpix(img3, nside);
    const auto ref = fixture("reproj_3x24x48_nside" + std::to_string(nside) + ".npy");
    ASSERT_EQ(map.fieldCount(), 3);
    for (int c = 0; c < 3; ++c) {
      const std::span<const double> refField(ref.values.data() + c * map.npix(), map.npix());
      EXPECT_LT(relativeError(map.field(c), refField), 1e-12) << "nside " << nside << " channel " << c;
    }
  }
  const SkyMap odd = reprojectToHealpix(imageFrom(fixture("reproj_img_50x101.npy")), 16);
  EXPECT_LT(relativeError(odd.field(0), fixture("reproj_50x101_nside16.npy").values), 1e-12);
}

TEST(Reprojection, SeamPixelsReadTheLastColumn) {
  // Column nx-1 and column 0 hold different values: the phi == pi pixels must take the last.
  const int nx = 64, ny = 32;
  Image img(1, ny, nx, 0.0);
  for (int i = 0; i < ny; ++i) img.at(0, i, nx - 1) = 1.0;
  const SkyMap map = reprojectToHealpix(img, 16);
  const auto seam = fixture("seam_mask_nside16.npy").values;
  int seamCount = 0;
  for (int64_t p = 0; p < map.npix(); ++p) {
    if (seam[p] != 0.0) {
      ++seamCount;
      EXPECT_EQ(map.field(0)[p], 1.0) << "seam pixel " << p;
    }
  }
  EXPECT_EQ(seamCount, 16);
}

TEST(Reprojection, ConstantImageGivesExactlyConstantMap) {
  const Image img(2, 50, 100, 0.123456789);
  const SkyMap map = reprojectToHealpix(img, 32);
  for (int c = 0; c < 2; ++c)
    for (double v : map.field(c)) ASSERT_EQ(v, 0.123456789);
}

TEST(Reprojection, LinearInLatitudeImageIsReproducedAtPixelCentres) {
  // Bilinear interpolation is exact for an image linear in the row index: value = latitude.
  const CartviewGrid grid = CartviewGrid::forWidth(360);
  Image img(1, grid.height, grid.width);
  for (int i = 0; i < grid.height; ++i)
    for (int j = 0; j < grid.width; ++j) img.at(0, i, j) = grid.latitudeDeg[i];
  const SkyMap map = reprojectToHealpix(img, 64);
  const T_Healpix_Base<int64_t> base(64, RING, SET_NSIDE);
  for (int64_t p = 0; p < map.npix(); p += 97) {
    const double lat = 90.0 - base.pix2ang(p).theta * 180.0 / M_PI;
    EXPECT_NEAR(map.field(0)[p], lat, 1e-9);
  }
}

TEST(Reprojection, CartviewThenReprojectRecoversASmoothSky) {
  const SkyMap sky = readHealpixFits(dataPath("sky/tqu_n16.fits"));
  const SkyMap back = reprojectToHealpix(projectCartview(sky, CartviewGrid::forWidth(1024)), 16);
  // Nearest-pixel sampling on a fine grid then bilinear back: each pixel returns to itself
  // wherever its centre is surrounded by samples of the same pixel.
  int same = 0;
  for (int64_t p = 0; p < sky.npix(); ++p) same += std::abs(back.field(0)[p] - sky.field(0)[p]) < 1e-12;
  EXPECT_GT(same, 0.95 * sky.npix());
}

TEST(Reprojection, BatchChannelLastLayoutMatchesPerImage) {
  const Image img3 = imageFrom(fixture("reproj_img_3x24x48.npy"));
  // Two images (N=2) channel-last: the second is the first times -2.
  const int n = 2, h = 24, w = 48, c = 3;
  std::vector<double> nhwc(static_cast<size_t>(n) * h * w * c);
  for (int b = 0; b < n; ++b)
    for (int i = 0; i < h; ++i)
      for (int j = 0; j < w; ++j)
        for (int k = 0; k < c; ++k)
          nhwc[((static_cast<size_t>(b) * h + i) * w + j) * c + k] = img3.at(k, i, j) * (b == 0 ? 1.0 : -2.0);
  const auto out = imageToMap(nhwc, n, h, w, c, 8);
  const SkyMap single = reprojectToHealpix(img3, 8);
  ASSERT_EQ(out.size(), static_cast<size_t>(n) * single.npix() * c);
  for (int64_t p = 0; p < single.npix(); ++p) {
    for (int k = 0; k < c; ++k) {
      EXPECT_DOUBLE_EQ(out[static_cast<size_t>(p) * c + k], single.field(k)[p]);
      EXPECT_DOUBLE_EQ(out[(static_cast<size_t>(single.npix()) + p) * c + k], -2.0 * single.field(k)[p]);
    }
  }
}

TEST(Reprojection, MaskedImagePixelsMaskOnlyTheirNeighbourhood) {
  Image img(1, 32, 64, 1.0);
  img.at(0, 16, 10) = std::nan("");
  const SkyMap map = reprojectToHealpix(img, 16);
  int masked = 0;
  for (double v : map.field(0)) {
    if (isMasked(v)) {
      ++masked;
    } else {
      ASSERT_EQ(v, 1.0);
    }
  }
  EXPECT_GT(masked, 0);
  EXPECT_LT(masked, 20);
}

TEST(Reprojection, RejectsBadShapesAndNside) {
  expectSkyError([] { reprojectToHealpix(Image(1, 30, 64), 16); }, ErrorKind::InvalidArgument, "round(columns/2)");
  expectSkyError([] { reprojectToHealpix(Image(1, 32, 64), 12); }, ErrorKind::InvalidArgument, "power of two");
  const std::vector<double> tooFew(10);
  expectSkyError([&] { imageToMap(tooFew, 1, 32, 64, 1, 8); }, ErrorKind::InvalidData, "expected N*H*W*C");
}
