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
  if (name == "planck")
    c.stops_ = kPlanck;
  else if (name == "rdbu_r")
    c.stops_ = kRdBuR;
  else if (name == "coolwarm")
    c.stops_ = kCoolwarm;
  else if (name == "viridis")
    c.stops_ = kViridis;
  else if (name == "gray")
    c.stops_ = kGray;
  else
    throw SkyError(ErrorKind::InvalidArgument,
                   "unknown colour map '" + name + "' (planck, rdbu_r, coolwarm, viridis, gray)");
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

namespace {

// The k-th smallest unmasked values (0-based ranks, ascending), exactly, without sorting or
// copying every value: a histogram over [lo, hi] finds the bin holding each rank, then only
// that bin's values are partially sorted (none when they are all equal, as in a 0/1 mask).
// Streaming passes, split over threads: at nside 2048 several times faster than nth_element
// on a copy, and no 400 MB copy per field.
std::vector<double> rankedValues(std::span<const double> values, double lo, double hi,
                                 const std::vector<size_t>& ranks) {
  constexpr size_t kBins = 1 << 16;
  const double scale = hi > lo ? static_cast<double>(kBins) / (hi - lo) : 0.0;
  const auto binOf = [&](double v) { return std::min(kBins - 1, static_cast<size_t>((v - lo) * scale)); };
  std::vector<size_t> counts(kBins, 0);
  std::vector<double> binMin(kBins, INFINITY), binMax(kBins, -INFINITY);
  const auto n = static_cast<std::ptrdiff_t>(values.size());
#pragma omp parallel if (n > (1 << 20))
  {
    std::vector<size_t> c(kBins, 0);
    std::vector<double> mn(kBins, INFINITY), mx(kBins, -INFINITY);
#pragma omp for schedule(static) nowait
    for (std::ptrdiff_t i = 0; i < n; ++i) {
      const double v = values[static_cast<size_t>(i)];
      if (isMasked(v)) continue;
      const size_t b = binOf(v);
      ++c[b];
      mn[b] = std::min(mn[b], v);
      mx[b] = std::max(mx[b], v);
    }
#pragma omp critical
    for (size_t b = 0; b < kBins; ++b) {
      counts[b] += c[b];
      binMin[b] = std::min(binMin[b], mn[b]);
      binMax[b] = std::max(binMax[b], mx[b]);
    }
  }
  // The bin of each rank; the values of those bins are gathered in one pass over the map.
  std::vector<size_t> binOfRank(ranks.size()), rankBefore(ranks.size());
  for (size_t r = 0; r < ranks.size(); ++r) {
    size_t before = 0, b = 0;
    while (before + counts[b] <= ranks[r]) before += counts[b++];
    binOfRank[r] = b;
    rankBefore[r] = before;
  }
  std::vector<size_t> wanted;  // bins whose values must be ranked (not all one value)
  for (size_t b : binOfRank)
    if (binMin[b] != binMax[b] && std::find(wanted.begin(), wanted.end(), b) == wanted.end()) wanted.push_back(b);
  std::vector<std::vector<double>> members(wanted.size());
  if (!wanted.empty()) {
#pragma omp parallel if (n > (1 << 20))
    {
      std::vector<std::vector<double>> mine(wanted.size());
#pragma omp for schedule(static) nowait
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        const double v = values[static_cast<size_t>(i)];
        if (isMasked(v)) continue;
        const size_t b = binOf(v);
        for (size_t w = 0; w < wanted.size(); ++w)
          if (wanted[w] == b) mine[w].push_back(v);
      }
#pragma omp critical
      for (size_t w = 0; w < wanted.size(); ++w) members[w].insert(members[w].end(), mine[w].begin(), mine[w].end());
    }
  }
  std::vector<double> out(ranks.size());
  for (size_t r = 0; r < ranks.size(); ++r) {
    const size_t b = binOfRank[r];
    if (binMin[b] == binMax[b]) {
      out[r] = binMin[b];
      continue;
    }
    auto& bin = members[static_cast<size_t>(std::find(wanted.begin(), wanted.end(), b) - wanted.begin())];
    const auto within = static_cast<std::ptrdiff_t>(ranks[r] - rankBefore[r]);
    std::nth_element(bin.begin(), bin.begin() + within, bin.end());
    out[r] = bin[static_cast<size_t>(within)];
  }
  return out;
}

}  // namespace

ColorScale ColorScale::fromValues(std::span<const double> values, double lowPercentile, double highPercentile,
                                  bool symmetric) {
  return fromPercentiles(percentiles(values, lowPercentile, highPercentile), symmetric);
}

ColorScale ColorScale::percentiles(std::span<const double> values, double lowPercentile, double highPercentile) {
  size_t valid = 0;
  double lo = INFINITY, hi = -INFINITY;
  const auto n = static_cast<std::ptrdiff_t>(values.size());
#pragma omp parallel for schedule(static) reduction(+ : valid) reduction(min : lo) reduction(max : hi) if (n > (1 << 20))
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    const double v = values[static_cast<size_t>(i)];
    if (isMasked(v)) continue;
    ++valid;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (valid == 0) return {NAN, NAN};
  // The value of rank round(p/100 * (n-1)) among the unmasked values (nearest rank).
  const auto rankOf = [&](double p) {
    return std::min(valid - 1, static_cast<size_t>(std::llround(p / 100.0 * static_cast<double>(valid - 1))));
  };
  const std::vector<double> at = rankedValues(values, lo, hi, {rankOf(lowPercentile), rankOf(highPercentile)});
  return {at[0], at[1]};
}

ColorScale ColorScale::fromPercentiles(const ColorScale& raw, bool symmetric) {
  if (std::isnan(raw.min) || std::isnan(raw.max)) return {-1.0, 1.0};
  ColorScale s = raw;
  if (symmetric) {
    const double m = std::max(std::abs(s.min), std::abs(s.max));
    s = {-m, m};
  }
  if (!(s.max > s.min)) s = {s.min - 1.0, s.min + 1.0};
  return s;
}

void colorize(std::span<const double> values, const Colormap& map, const ColorScale& scale, std::span<uint32_t> out) {
  for (size_t i = 0; i < values.size(); ++i)
    out[i] = isMasked(values[i]) ? kMaskedColor : map.color(scale.normalise(values[i]));
}

}  // namespace sky
