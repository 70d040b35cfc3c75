#pragma once
// The axes of the app's line plots (spectrum, analyses, histogram), drawn one way: ticks at
// 1-2-5 steps or decades with at most three significant digits (render/AxisTicks.h), and a
// title with its unit beside each axis. Values map linearly onto the plot, or as log10 on
// logarithmic axes.
#include <QPainter>
#include <QRect>
#include <QString>

namespace ui {

// Below `plot`: ticks over [lo, hi] and the title under them. Returns the height used.
int drawBottomAxis(QPainter& painter, const QRect& plot, double lo, double hi, const QString& title);

// At the left or right edge of `plot`: ticks over [lo, hi] (log10 values when `logarithmic`)
// and the title, rotated along the axis, in the painter's current pen.
void drawSideAxis(QPainter& painter, const QRect& plot, double lo, double hi, bool left, bool logarithmic,
                  const QString& title);

// The horizontal room a side axis needs: tick labels and the rotated title.
constexpr int kSideAxisWidth = 96;

}  // namespace ui
