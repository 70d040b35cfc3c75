#pragma once
// healpy `cartview` (full sky, flip='astro') grid and nearest-pixel projection. Matches
// healpy bit for bit: see docs/CONVENTIONS.md "The Cartesian image grid".
#include <cstdint>
#include <vector>

#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace sky {

struct CartviewGrid {
  int width = 0;                     // xsize
  int height = 0;                    // round(xsize/2), Python's round-half-to-even
  std::vector<double> latitudeDeg;   // per row, row 0 = -90 (south pole)
  std::vector<double> longitudeDeg;  // per column: phi in degrees, +180 at column 0

  // Throws InvalidArgument for xsize < 2 or a grid too large for memory.
  static CartviewGrid forWidth(int xsize);
};

// RING pixel index sampled by every image pixel, row-major (height, width).
std::vector<int64_t> cartviewPixels(const CartviewGrid& grid, int nside);

// Projects the chosen fields of `map` (indices into map.field, empty = all) onto the grid.
// Masked pixels keep their value (UNSEEN or NaN): callers decide how to fill them.
Image projectCartview(const SkyMap& map, const CartviewGrid& grid, const std::vector<int>& fields = {});

}  // namespace sky
