#include <healpix_cxx/healpix_base.h>

#include <numbers>

#include "TestSupport.h"
#include "sky/Mollweide.h"

using namespace sky;
using skytest::fixture;

TEST(Mollweide, InverseMatchesHealpyProjector) {
  const auto ref = fixture("mollweide_xy_theta_phi.npy");  // rows: x, y, theta, phi
  const size_t n = ref.shape[1];
  ASSERT_GT(n, 100u);
  for (size_t k = 0; k < n; ++k) {
    const auto dir = mollweideInverse({ref.values[k], ref.values[n + k]});
    ASSERT_TRUE(dir.has_value());
    EXPECT_NEAR(dir->theta, ref.values[2 * n + k], 1e-9);
    const double dphi = std::remainder(dir->phi - ref.values[3 * n + k], 2 * M_PI);
    EXPECT_NEAR(dphi, 0.0, 1e-9);
  }
}

TEST(Mollweide, ForwardInvertsInverse) {
  for (double theta = 0.05; theta < M_PI; theta += 0.3) {
    for (double phi = 0.0; phi < 2 * M_PI; phi += 0.4) {
      const PlanePoint p = mollweideForward({theta, phi});
      EXPECT_LE(p.x * p.x / 4 + p.y * p.y, 1.0 + 1e-12);
      const auto back = mollweideInverse(p);
      ASSERT_TRUE(back.has_value());
      EXPECT_NEAR(back->theta, theta, 1e-10);
      EXPECT_NEAR(std::remainder(back->phi - phi, 2 * M_PI), 0.0, 1e-10);
    }
  }
  // Astro convention: longitude grows to the left.
  EXPECT_LT(mollweideForward({M_PI / 2, M_PI / 2}).x, 0.0);
  EXPECT_NEAR(mollweideForward({0.0, 1.0}).y, 1.0, 1e-12);
}

TEST(Mollweide, RasterLooksUpPixelsInsideTheEllipseOnly) {
  const MollweideRaster r = mollweideRaster(16, 200, 100);
  const T_Healpix_Base<int64_t> base(16, RING, SET_NSIDE);
  EXPECT_EQ(r.pixel[0], -1);  // corner
  const SkyDirection centre = *mollweideInverse(r.toPlane(100.5, 50.5));
  EXPECT_EQ(r.pixel[50 * 200 + 100], base.ang2pix(pointing(centre.theta, centre.phi)));
  int64_t inside = 0;
  for (auto p : r.pixel) inside += p >= 0;
  EXPECT_NEAR(static_cast<double>(inside) / r.pixel.size(), M_PI / 4, 0.01);  // ellipse / rectangle
  // A non-2:1 raster keeps the ellipse's aspect, centred.
  const MollweideRaster tall = mollweideRaster(16, 100, 100);
  EXPECT_EQ(tall.pixel[10 * 100 + 50], -1);
  EXPECT_GE(tall.pixel[50 * 100 + 50], 0);
  std::vector<double> ring(base.Npix());
  for (int64_t p = 0; p < base.Npix(); ++p) ring[p] = static_cast<double>(p);
  std::vector<double> out(r.pixel.size());
  sampleRaster(r, ring.data(), -7.0, out.data());
  EXPECT_EQ(out[0], -7.0);
  EXPECT_EQ(out[50 * 200 + 100], static_cast<double>(r.pixel[50 * 200 + 100]));
}

TEST(Mollweide, GraticuleLiesOnTheSky) {
  const auto lines = mollweideGraticule(30.0, 60.0, 91);
  int meridians = 0, parallels = 0;
  for (const auto& line : lines) {
    (line.isMeridian ? meridians : parallels)++;
    for (const auto& p : line.points) EXPECT_LE(p.x * p.x / 4 + p.y * p.y, 1.0 + 1e-9);
  }
  EXPECT_EQ(parallels, 5);  // -60 .. 60
  EXPECT_EQ(meridians, 7);  // -180 .. 180
}

TEST(SkyGeometry, AngularDistanceOfKnownPairs) {
  const double pi = std::numbers::pi;
  EXPECT_NEAR(sky::angularDistance({0.0, 0.0}, {pi / 2, 1.3}), pi / 2, 1e-12);  // pole to equator
  EXPECT_NEAR(sky::angularDistance({pi / 2, 0.0}, {pi / 2, pi}), pi, 1e-7);     // antipodes
  EXPECT_NEAR(sky::angularDistance({1.0, 2.0}, {1.0, 2.0}), 0.0, 1e-7);
  EXPECT_NEAR(sky::angularDistance({pi / 2, 0.1}, {pi / 2, 0.4}), 0.3, 1e-12);  // along the equator
}
