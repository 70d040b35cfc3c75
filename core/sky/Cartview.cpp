#include "sky/Cartview.h"

#include <healpix_cxx/healpix_base.h>
#include <healpix_cxx/vec3.h>

#include <cmath>
#include <numbers>
#include <string>

#include "util/Error.h"

namespace sky {
namespace {
// The same double constants healpy uses (numpy's pi, dtor = pi/180).
constexpr double kPi = std::numbers::pi;
constexpr double kDtor = kPi / 180.0;
}  // namespace

CartviewGrid CartviewGrid::forWidth(int xsize) {
  if (xsize < 2) {
    throw SkyError(ErrorKind::InvalidArgument, "xsize must be at least 2 (got " + std::to_string(xsize) + ")");
  }
  if (xsize > 65536) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "xsize " + std::to_string(xsize) + " is larger than the supported 65536");
  }
  CartviewGrid g;
  g.width = xsize;
  // healpy: ysize = int(round(ratio * xsize)) with ratio 0.5; nearbyint rounds half to even.
  g.height = static_cast<int>(std::nearbyint(0.5 * xsize));
  if (g.height < 2) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "xsize " + std::to_string(xsize) + " gives fewer than 2 rows; use xsize >= 3");
  }
  // healpy's CartesianProj.ij2xy: y = (180/(ysize-1)) * i + (-90); x = (360/(xsize-1)) * j + (-180).
  const double dy = 180.0 / (g.height - 1.0);
  const double dx = 360.0 / (g.width - 1.0);
  g.latitudeDeg.resize(g.height);
  g.longitudeDeg.resize(g.width);
  for (int i = 0; i < g.height; ++i) g.latitudeDeg[i] = dy * i + -90.0;
  for (int j = 0; j < g.width; ++j) g.longitudeDeg[j] = -(dx * j + -180.0);  // astro flip
  return g;
}

std::vector<int64_t> cartviewPixels(const CartviewGrid& grid, int nside) {
  if (!isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument, "nside " + std::to_string(nside) + " is not a power of two");
  }
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  std::vector<double> cosPhi(grid.width), sinPhi(grid.width);
  for (int j = 0; j < grid.width; ++j) {
    const double phi = grid.longitudeDeg[j] * kDtor;  // healpy: phi = (flip * x) * dtor
    cosPhi[j] = std::cos(phi);
    sinPhi[j] = std::sin(phi);
  }
  std::vector<int64_t> pix(static_cast<size_t>(grid.width) * grid.height);
#pragma omp parallel for schedule(static)
  for (int i = 0; i < grid.height; ++i) {
    const double theta = kPi / 2.0 - grid.latitudeDeg[i] * kDtor;
    const double st = std::sin(theta), ct = std::cos(theta);
    for (int j = 0; j < grid.width; ++j) {
      // healpy's dir2vec; at the north row theta is 0 and the vector is exactly (0,0,1).
      pix[static_cast<size_t>(i) * grid.width + j] = base.vec2pix(vec3(st * cosPhi[j], st * sinPhi[j], ct));
    }
  }
  return pix;
}

Image projectCartview(const SkyMap& map, const CartviewGrid& grid, const std::vector<int>& fields) {
  std::vector<int> chosen = fields;
  if (chosen.empty()) {
    for (int f = 0; f < map.fieldCount(); ++f) chosen.push_back(f);
  }
  for (int f : chosen) {
    if (f < 0 || f >= map.fieldCount()) {
      throw SkyError(ErrorKind::InvalidArgument, "field " + std::to_string(f) + " does not exist in a map with " +
                                                     std::to_string(map.fieldCount()) + " fields");
    }
  }
  const SkyMap ring = map.ordering() == Ordering::Ring ? SkyMap() : map.toOrdering(Ordering::Ring);
  const SkyMap& src = map.ordering() == Ordering::Ring ? map : ring;
  const std::vector<int64_t> pix = cartviewPixels(grid, map.nside());
  Image img(static_cast<int>(chosen.size()), grid.height, grid.width);
  for (size_t c = 0; c < chosen.size(); ++c) {
    const auto values = src.field(chosen[c]);
    auto out = img.plane(static_cast<int>(c));
    for (size_t k = 0; k < pix.size(); ++k) out[k] = values[pix[k]];
  }
  return img;
}

}  // namespace sky
