#include "sky/Reprojection.h"

#include <healpix_cxx/healpix_base.h>

#include <cmath>
#include <numbers>
#include <string>

#include "util/Error.h"

namespace sky {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kRadToDeg = 180.0 / kPi;

void checkArguments(int height, int width, int channels, int nside) {
  if (!isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "nside " + std::to_string(nside) + " is not a power of two between 1 and 2^29");
  }
  if (channels < 1 || height < 2 || width < 2) {
    throw SkyError(ErrorKind::InvalidArgument, "images to reproject need at least 2x2 pixels and one channel");
  }
  // The cartview grid has ny = round(nx/2); anything else is not a full-sky 2:1 image.
  if (height != static_cast<int>(std::nearbyint(0.5 * width))) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "image is " + std::to_string(height) + "x" + std::to_string(width) +
                       " (rows x columns) but a full-sky cartview image has rows = round(columns/2)");
  }
}

// Bilinear stencil of one sphere position on the (ny, nx) grid.
struct Stencil {
  int i0, i1, j0, j1;
  double di, dj;
};

// Calls visit(pixel, stencil) for every RING pixel, rings spread over OpenMP threads.
template <typename Visit>
void forEachPixelStencil(int nside, int height, int width, Visit&& visit) {
  const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
  const int64_t rings = 4 * static_cast<int64_t>(nside) - 1;
#pragma omp parallel for schedule(dynamic, 4)
  for (int64_t ring = 1; ring <= rings; ++ring) {
    int64_t start = 0, count = 0;
    double theta = 0.0;
    bool shifted = false;
    base.get_ring_info2(ring, start, count, theta, shifted);
    const double lat = 90.0 - theta * kRadToDeg;
    const double ic = (lat + 90.0) / 180.0 * (height - 1);
    Stencil s{};
    s.i0 = std::min(static_cast<int>(std::floor(ic)), height - 1);
    s.i1 = std::min(s.i0 + 1, height - 1);
    s.di = ic - s.i0;
    const double dphi = 2.0 * kPi / static_cast<double>(count);
    const double offset = shifted ? 0.5 : 0.0;
    for (int64_t k = 0; k < count; ++k) {
      double x;
      if (2 * k + (shifted ? 1 : 0) == count) {
        x = 180.0;  // phi == pi exactly (as healpy's pix2ang gives it): reads column nx-1
      } else {
        // (phi + pi) mod 2pi for phi in [0, 2pi): one exact subtraction (Sterbenz), no fmod.
        double wrapped = (static_cast<double>(k) + offset) * dphi + kPi;
        if (wrapped >= 2.0 * kPi) wrapped -= 2.0 * kPi;
        x = -((wrapped - kPi) * kRadToDeg);
      }
      const double jc = (x + 180.0) / 360.0 * (width - 1);
      s.j0 = std::min(static_cast<int>(std::floor(jc)), width - 1);
      s.j1 = (s.j0 + 1) % width;
      s.dj = jc - s.j0;
      visit(start + k, s);
    }
  }
}

// Linear interpolation written so that equal corners give that value exactly
// (a constant image must give a constant map, bit for bit).
inline double lerp(double a, double b, double t) { return a + t * (b - a); }

template <typename Value>
double interpolate(const Stencil& s, Value&& value) {
  const double v00 = value(s.i0, s.j0), v01 = value(s.i0, s.j1);
  const double v10 = value(s.i1, s.j0), v11 = value(s.i1, s.j1);
  const bool touchesMask =
      (isMasked(v00) && (s.di < 1.0 && s.dj < 1.0)) || (isMasked(v01) && (s.di < 1.0 && s.dj > 0.0)) ||
      (isMasked(v10) && (s.di > 0.0 && s.dj < 1.0)) || (isMasked(v11) && (s.di > 0.0 && s.dj > 0.0));
  if (touchesMask) return kUnseen;
  // Zero-weight corners may be masked: drop them so they cannot poison the sum.
  const double a = s.dj > 0.0 ? lerp(v00, v01, s.dj) : v00;
  if (s.di == 0.0) return a;
  const double b = s.dj > 0.0 ? lerp(v10, v11, s.dj) : v10;
  return lerp(a, b, s.di);
}

}  // namespace

SkyMap reprojectToHealpix(const Image& image, int nside) {
  checkArguments(image.height(), image.width(), image.channels(), nside);
  const int64_t npix = npixForNside(nside);
  // One allocation per field (no zero-filled prototype copied C times: 400 MB at nside 2048).
  std::vector<std::vector<double>> fields(image.channels());
  for (auto& f : fields) f.resize(npix);
  const int width = image.width();
  forEachPixelStencil(nside, image.height(), width, [&](int64_t pix, const Stencil& s) {
    for (int c = 0; c < image.channels(); ++c) {
      const double* plane = image.plane(c).data();
      fields[c][pix] = interpolate(s, [&](int i, int j) { return plane[static_cast<size_t>(i) * width + j]; });
    }
  });
  return SkyMap(nside, Ordering::Ring, std::move(fields));
}

std::vector<double> imageToMap(std::span<const double> nhwc, int n, int height, int width, int channels, int nside) {
  checkArguments(height, width, channels, nside);
  const size_t imageSize = static_cast<size_t>(height) * width * channels;
  if (n < 1 || nhwc.size() != imageSize * n) {
    throw SkyError(ErrorKind::InvalidData,
                   "image batch holds " + std::to_string(nhwc.size()) +
                       " values, expected N*H*W*C = " + std::to_string(imageSize * std::max(n, 0)));
  }
  const int64_t npix = npixForNside(nside);
  std::vector<double> out(static_cast<size_t>(n) * npix * channels);
  forEachPixelStencil(nside, height, width, [&](int64_t pix, const Stencil& s) {
    for (int b = 0; b < n; ++b) {
      const double* img = nhwc.data() + b * imageSize;
      double* dst = out.data() + (static_cast<size_t>(b) * npix + pix) * channels;
      for (int c = 0; c < channels; ++c) {
        dst[c] = interpolate(s, [&](int i, int j) { return img[(static_cast<size_t>(i) * width + j) * channels + c]; });
      }
    }
  });
  return out;
}

}  // namespace sky
