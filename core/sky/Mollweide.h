#pragma once
// Mollweide projection in healpy mollview's convention: plane coordinates x in [-2, 2],
// y in [-1, 1], north up, longitude increasing to the LEFT (astro), centre at phi = 0.
#include <cstdint>
#include <optional>
#include <vector>

namespace sky {

struct PlanePoint {
  double x = 0.0, y = 0.0;
};
struct SkyDirection {
  double theta = 0.0;  // colatitude, radians, [0, pi]
  double phi = 0.0;    // longitude, radians, [0, 2 pi)
};

// Great-circle angle between two directions, radians.
double angularDistance(const SkyDirection& a, const SkyDirection& b);

PlanePoint mollweideForward(const SkyDirection& dir);
// Centre of a RING pixel (for readouts).
SkyDirection ringPixelCentre(int nside, int64_t pixel);
// The RING pixel containing a direction.
int64_t ringPixelAt(int nside, const SkyDirection& direction);
// nullopt outside the ellipse x^2/4 + y^2 <= 1.
std::optional<SkyDirection> mollweideInverse(const PlanePoint& p);

// A raster of `width` x `height` pixels (row 0 at the top) holding the ellipse as large as
// fits with its 2:1 aspect, centred. pixel[r*width + c] is the RING index seen at the pixel
// centre, or -1 outside the sky.
struct MollweideRaster {
  int width = 0, height = 0;
  double scale = 0.0;                   // raster pixels per plane unit
  double originX = 0.0, originY = 0.0;  // raster position of plane (0, 0)
  std::vector<int64_t> pixel;

  PlanePoint toPlane(double column, double row) const;
  PlanePoint toRaster(const PlanePoint& plane) const;  // x = column, y = row
};
// `zoom` magnifies about the plane point `centre` (views zoom and pan with these).
MollweideRaster mollweideRaster(int nside, int width, int height, double zoom = 1.0, PlanePoint centre = {});

// Samples `pixel` of the raster from a RING map field (masked and outside stay as given by fill).
void sampleRaster(const MollweideRaster& raster, const double* ringValues, double outside, double* out);

// Graticule lines in plane coordinates: parallels every `latStepDeg`, meridians every
// `lonStepDeg`, each a polyline of `samples` points, plus the outline ellipse.
struct Polyline {
  std::vector<PlanePoint> points;
  double valueDeg = 0.0;  // the latitude or longitude the line stands for
  bool isMeridian = false;
};
std::vector<Polyline> mollweideGraticule(double latStepDeg = 30.0, double lonStepDeg = 60.0, int samples = 181);

}  // namespace sky
