#pragma once
// Paints a horizontal colour bar with 1-2-5 ticks and its unit (shared by views and figures).
#include <QPainter>
#include <QRect>
#include <QString>

#include "render/Colormap.h"

namespace ui {
void paintColorBar(QPainter& painter, const QRect& rect, const sky::Colormap& map, const sky::ColorScale& scale,
                   const QString& unit);
QString formatValue(double v);
// A value axis under the horizontal line at `tickTop`, over [left, left + width] for values
// lo..hi: 1-2-5 tick marks with their labels below, a label left out where it would touch the
// previous one, labels kept within [clipLeft, clipRight] (colour bars, the histogram).
void drawValueTicks(QPainter& painter, int left, int width, int tickTop, double lo, double hi, int clipLeft,
                    int clipRight);
}  // namespace ui
