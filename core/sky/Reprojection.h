#pragma once
// Cartesian (cartview-grid) images back onto the sphere: bilinear interpolation at every RING
// pixel centre with the seam rule of docs/CONVENTIONS.md ("Image -> HEALPix reprojection").
#include <span>
#include <vector>

#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace sky {

// Every channel of `image` becomes one field of a RING map. An output pixel whose
// interpolation stencil touches a masked (NaN/UNSEEN) image pixel with non-zero weight is UNSEEN.
SkyMap reprojectToHealpix(const Image& image, int nside);

// The seed package's image_to_map: `nhwc` holds N images (N, H, W, C) channel-last;
// returns (N, Npix, C) in the same layout.
std::vector<double> imageToMap(std::span<const double> nhwc, int n, int height, int width, int channels, int nside);

}  // namespace sky
