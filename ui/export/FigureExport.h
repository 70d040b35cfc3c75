#pragma once
// Publication figures from any view: PNG at a chosen DPI, SVG and PDF with vector text,
// graticule, curves and colour bar (the sky raster embedded at high resolution). Written to a
// temporary file and renamed, so a failed export never leaves a half-written figure.
#include <QPainter>
#include <QSize>
#include <QString>
#include <functional>

namespace ui {

// Paints a figure into `bounds`; rasterScale is the device pixels per point wanted for rasters.
using FigurePainter = std::function<void(QPainter& painter, const QRect& bounds, double rasterScale)>;

struct FigureOptions {
  QSize size{1200, 700};  // in points (1/96 inch, the screen's logical pixels)
  int dpi = 150;          // PNG only: pixels per inch of the written image
};

// The format follows the suffix (.png, .svg, .pdf). Throws sky::SkyError naming the path.
void exportFigure(const FigurePainter& paint, const QString& path, const FigureOptions& options = {});

}  // namespace ui
