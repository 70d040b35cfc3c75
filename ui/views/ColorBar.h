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
}  // namespace ui
