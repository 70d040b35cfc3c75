#include "sky/Mollweide.h"

#include <healpix_cxx/healpix_base.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "sky/SkyMap.h"
#include "util/Error.h"

namespace sky {
namespace {

constexpr double kPi = std::numbers::pi;

// Solves 2a + sin 2a = pi sin(lat) for the auxiliary angle a by Newton's method.
double auxiliaryAngle(double lat) {
  if (std::abs(std::abs(lat) - kPi / 2) < 1e-12) return lat;
  const double target = kPi * std::sin(lat);
  double a = lat;
  for (int it = 0; it < 50; ++it) {
    const double f = 2 * a + std::sin(2 * a) - target;
    const double df = 2 + 2 * std::cos(2 * a);
    const double step = f / df;
    a -= step;
    if (std::abs(step) < 1e-14) break;
  }
  return a;
}

}  // namespace

PlanePoint mollweideForward(const SkyDirection& dir) {
  const double lat = kPi / 2 - dir.theta;
  double lon = std::remainder(dir.phi, 2 * kPi);  // (-pi, pi]
  const double a = auxiliaryAngle(lat);
  return {-(2.0 / kPi) * lon * std::cos(a), std::sin(a)};
}

std::optional<SkyDirection> mollweideInverse(const PlanePoint& p) {
  if (p.x * p.x / 4.0 + p.y * p.y > 1.0) return std::nullopt;
  const double a = std::asin(std::clamp(p.y, -1.0, 1.0));
  const double c = std::cos(a);
  const double lat = std::asin(std::clamp((2 * a + std::sin(2 * a)) / kPi, -1.0, 1.0));
  const double lon = c > 1e-15 ? -kPi * p.x / (2.0 * c) : 0.0;
  if (std::abs(lon) > kPi + 1e-12) return std::nullopt;
  double phi = std::fmod(lon + 2 * kPi, 2 * kPi);
  return SkyDirection{kPi / 2 - lat, phi};
}

double angularDistance(const SkyDirection& a, const SkyDirection& b) {
  const double c =
      std::sin(a.theta) * std::sin(b.theta) * std::cos(a.phi - b.phi) + std::cos(a.theta) * std::cos(b.theta);
  return std::acos(std::clamp(c, -1.0, 1.0));
}

SkyDirection ringPixelCentre(int nside, int64_t pixel) {
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  if (pixel < 0 || pixel >= base.Npix()) throw SkyError(ErrorKind::InvalidArgument, "pixel index out of range");
  const pointing p = base.pix2ang(pixel);
  return {p.theta, p.phi};
}

int64_t ringPixelAt(int nside, const SkyDirection& direction) {
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  return base.ang2pix(pointing(direction.theta, direction.phi));
}

PlanePoint MollweideRaster::toPlane(double column, double row) const {
  return {(column - originX) / scale, (originY - row) / scale};
}

PlanePoint MollweideRaster::toRaster(const PlanePoint& plane) const {
  return {originX + plane.x * scale, originY - plane.y * scale};
}

MollweideRaster mollweideRaster(int nside, int width, int height, double zoom, PlanePoint centre) {
  if (!isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument, "nside " + std::to_string(nside) + " is not a power of two");
  }
  if (width < 2 || height < 1 || static_cast<int64_t>(width) * height > (int64_t{1} << 28)) {
    throw SkyError(ErrorKind::InvalidArgument, "Mollweide raster size " + std::to_string(width) + "x" +
                                                   std::to_string(height) + " is out of range");
  }
  MollweideRaster r;
  r.width = width;
  r.height = height;
  if (!(zoom > 0) || !std::isfinite(zoom)) throw SkyError(ErrorKind::InvalidArgument, "zoom must be positive");
  r.scale = std::min(width / 4.0, height / 2.0) * zoom;
  r.originX = width / 2.0 - centre.x * r.scale;
  r.originY = height / 2.0 + centre.y * r.scale;
  r.pixel.assign(static_cast<size_t>(width) * height, -1);
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
#pragma omp parallel for schedule(static)
  for (int row = 0; row < height; ++row) {
    for (int col = 0; col < width; ++col) {
      const auto dir = mollweideInverse(r.toPlane(col + 0.5, row + 0.5));
      if (dir) r.pixel[static_cast<size_t>(row) * width + col] = base.ang2pix(pointing(dir->theta, dir->phi));
    }
  }
  return r;
}

void sampleRaster(const MollweideRaster& raster, const double* ringValues, double outside, double* out) {
  const int64_t n = static_cast<int64_t>(raster.pixel.size());
#pragma omp parallel for schedule(static)
  for (int64_t k = 0; k < n; ++k) {
    const int64_t p = raster.pixel[k];
    out[k] = p < 0 ? outside : ringValues[p];
  }
}

std::vector<Polyline> mollweideGraticule(double latStepDeg, double lonStepDeg, int samples) {
  if (!(latStepDeg > 0 && latStepDeg <= 90 && lonStepDeg > 0 && lonStepDeg <= 180) || samples < 2) {
    throw SkyError(ErrorKind::InvalidArgument, "graticule steps must be in (0, 90] and (0, 180] degrees");
  }
  std::vector<Polyline> lines;
  const double deg = kPi / 180.0;
  for (double lat = -90.0 + latStepDeg; lat < 90.0 - 1e-9; lat += latStepDeg) {
    Polyline line{{}, lat, false};
    for (int k = 0; k < samples; ++k) {
      const double lon = -180.0 + 360.0 * k / (samples - 1);
      line.points.push_back(mollweideForward({(90.0 - lat) * deg, lon * deg}));
    }
    // phi = +-180 both land on the left/right edge: fix the sign the remainder() chose.
    line.points.front().x = std::abs(line.points.front().x);
    line.points.back().x = -std::abs(line.points.back().x);
    lines.push_back(std::move(line));
  }
  for (double lon = -180.0; lon <= 180.0 + 1e-9; lon += lonStepDeg) {
    Polyline line{{}, lon, true};
    for (int k = 0; k < samples; ++k) {
      const double theta = kPi * k / (samples - 1);
      PlanePoint p = mollweideForward({theta, lon * deg});
      if (lon >= 180.0 - 1e-9) p.x = -std::abs(p.x);
      if (lon <= -180.0 + 1e-9) p.x = std::abs(p.x);
      line.points.push_back(p);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace sky
