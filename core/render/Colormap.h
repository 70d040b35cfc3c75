#pragma once
// Colour maps and colour scales for sky views and figures (no Qt: RGBA words, 0xAARRGGBB).
// "planck" approximates the Planck collaboration's CMB colour map, "rdbu_r" is ColorBrewer's
// RdBu reversed (diverging, for attributions centred on zero), "viridis" matplotlib's.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sky {

class Colormap {
 public:
  static Colormap named(const std::string& name);  // planck, rdbu_r, coolwarm, viridis, gray
  static std::vector<std::string> names();
  const std::string& name() const { return name_; }
  uint32_t color(double t) const;  // t in [0, 1] (clamped)

 private:
  std::string name_;
  std::vector<uint32_t> stops_;  // evenly spaced RGB stops, linearly interpolated
};

struct ColorScale {
  double min = 0.0, max = 1.0;
  // Range of the unmasked values: percentiles (0.5-99.5 as SkyNeuralNets' plots), optionally
  // symmetric about zero (for attributions). Falls back to [-1, 1] when nothing is valid.
  static ColorScale fromValues(std::span<const double> values, double lowPercentile = 0.5, double highPercentile = 99.5,
                               bool symmetric = false);
  // fromValues in two steps, so one pass over the values serves both forms (workers compute
  // the raw percentiles; the GUI makes either scale from them): the raw percentile values
  // (NaN when nothing is valid), then the scale they give.
  static ColorScale percentiles(std::span<const double> values, double lowPercentile = 0.5,
                                double highPercentile = 99.5);
  static ColorScale fromPercentiles(const ColorScale& raw, bool symmetric);
  double normalise(double v) const { return max > min ? (v - min) / (max - min) : 0.5; }
};

inline constexpr uint32_t kMaskedColor = 0xFF9A9A9A;   // neutral grey for UNSEEN/NaN
inline constexpr uint32_t kOutsideColor = 0x00000000;  // transparent outside the sky

// Colours every value (masked values grey).
void colorize(std::span<const double> values, const Colormap& map, const ColorScale& scale, std::span<uint32_t> out);

}  // namespace sky
