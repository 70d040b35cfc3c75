#include "render/Colormap.h"

#include <algorithm>
#include <cmath>

#include "sky/SkyMap.h"
#include "util/Error.h"

namespace sky {
namespace {

// Stops sampled from the published maps (RGB, evenly spaced from 0 to 1).
const std::vector<uint32_t> kPlanck = {0x0000FF, 0x0050FF, 0x00A0FF, 0x00D8F0, 0x96E6DC, 0xFFEDD9,
                                       0xFFD290, 0xFFB44B, 0xFF7800, 0xF03C00, 0xC81E00, 0x641E00};
const std::vector<uint32_t> kRdBuR = {0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
                                      0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F};
const std::vector<uint32_t> kCoolwarm = {0x3B4CC0, 0x6282EA, 0x8DB0FE, 0xB8D0F9, 0xDDDDDD,
                                         0xF5C4AD, 0xF49A7B, 0xDE604D, 0xB40426};
const std::vector<uint32_t> kViridis = {0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
                                        0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725};
const std::vector<uint32_t> kGray = {0x000000, 0xFFFFFF};

}  // namespace

std::vector<std::string> Colormap::names() { return {"planck", "rdbu_r", "coolwarm", "viridis", "gray"}; }

Colormap Colormap::named(const std::string& name) {
  Colormap c;
  c.name_ = name;
  if (name == "planck") c.stops_ = kPlanck;
  else if (name == "rdbu_r") c.stops_ = kRdBuR;
  else if (name == "coolwarm") c.stops_ = kCoolwarm;
  else if (name == "viridis") c.stops_ = kViridis;
  else if (name == "gray") c.stops_ = kGray;
  else throw SkyError(ErrorKind::InvalidArgument, "unknown colour map '" + name + "' (planck, rdbu_r, coolwarm, viridis, gray)");
  return c;
}

uint32_t Colormap::color(double t) const {
  t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0.5;
  const double x = t * static_cast<double>(stops_.size() - 1);
  const size_t i = std::min(static_cast<size_t>(x), stops_.size() - 2);
  const double f = x - static_cast<double>(i);
  uint32_t rgb = 0;
  for (int shift : {16, 8, 0}) {
    const double a = (stops_[i] >> shift) & 0xFF, b = (stops_[i + 1] >> shift) & 0xFF;
    rgb |= static_cast<uint32_t>(std::lround(a + f * (b - a))) << shift;
  }
  return 0xFF000000u | rgb;
}

ColorScale ColorScale::fromValues(std::span<const double> values, double lowPercentile, double highPercentile, bool symmetric) {
  std::vector<double> valid;
  valid.reserve(values.size());
  for (double v : values)
    if (!isMasked(v)) valid.push_back(v);
  ColorScale s{-1.0, 1.0};
  if (valid.empty()) return s;
  const auto at = [&](double p) {
    const size_t k = std::min(valid.size() - 1, static_cast<size_t>(p / 100.0 * static_cast<double>(valid.size() - 1) + 0.5));
    std::nth_element(valid.begin(), valid.begin() + static_cast<std::ptrdiff_t>(k), valid.end());
    return valid[k];
  };
  s.min = at(lowPercentile);
  s.max = at(highPercentile);
  if (symmetric) {
    const double m = std::max(std::abs(s.min), std::abs(s.max));
    s = {-m, m};
  }
  if (!(s.max > s.min)) s = {s.min - 1.0, s.min + 1.0};
  return s;
}

void colorize(std::span<const double> values, const Colormap& map, const ColorScale& scale, std::span<uint32_t> out) {
  for (size_t i = 0; i < values.size(); ++i) out[i] = isMasked(values[i]) ? kMaskedColor : map.color(scale.normalise(values[i]));
}

}  // namespace sky
