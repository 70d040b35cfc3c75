#pragma once
// How views mark the selection: dimmed colours outside it, and its edge on a rendered image: inside pixels that touch
// an outside pixel take the outline colour. flags: 1 inside, 0 outside, anything else off the sky.
#include <QImage>
#include <cstdint>
#include <variant>
#include <vector>

#include "select/Selection.h"

namespace ui {

inline constexpr uint32_t kSelectionOutline = 0xFFFF9900u;

// How sky views show a pixel outside the selection: its colour two thirds of the way to white.
inline uint32_t dimmedColor(uint32_t c) {
  auto mix = [](uint32_t v) { return (v + 2 * 255) / 3; };
  return 0xFF000000u | (mix((c >> 16) & 0xFF) << 16) | (mix((c >> 8) & 0xFF) << 8) | mix(c & 0xFF);
}

// Outlines help for shapes; a value-range or mask selection is scattered pixels, which an
// outline would bury, so only dimming shows those.
inline bool hasOutline(const sky::Selection& selection) {
  for (const auto& step : selection.steps()) {
    if (std::holds_alternative<sky::ValueRangeRegion>(step.region) ||
        std::holds_alternative<sky::PixelSetRegion>(step.region))
      return false;
  }
  return true;
}

inline void outlineSelection(QImage& image, const std::vector<uint8_t>& flags) {
  const int w = image.width(), h = image.height();
  if (static_cast<size_t>(w) * h != flags.size()) return;
  auto at = [&](int x, int y) { return flags[static_cast<size_t>(y) * w + x]; };
  for (int y = 0; y < h; ++y) {
    auto* line = reinterpret_cast<uint32_t*>(image.scanLine(y));
    for (int x = 0; x < w; ++x) {
      if (at(x, y) != 1) continue;
      const bool edge = (x > 0 && at(x - 1, y) == 0) || (x + 1 < w && at(x + 1, y) == 0) ||
                        (y > 0 && at(x, y - 1) == 0) || (y + 1 < h && at(x, y + 1) == 0);
      if (edge) line[x] = kSelectionOutline;
    }
  }
}

}  // namespace ui
