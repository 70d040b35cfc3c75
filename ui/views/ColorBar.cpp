#include "views/ColorBar.h"

#include <QFontMetrics>
#include <QImage>
#include <algorithm>

#include "render/AxisTicks.h"

namespace ui {

QString formatValue(double v) { return QString::number(v, 'g', 4); }

void drawValueTicks(QPainter& painter, int left, int width, int tickTop, double lo, double hi, int clipLeft,
                    int clipRight) {
  if (!(hi > lo)) return;
  const QFontMetrics fm = painter.fontMetrics();
  const double span = hi - lo;
  int lastRight = clipLeft - 1000;
  for (const auto& t : sky::linearTicks(lo, hi, std::max(2, width / 70))) {
    if (t.value < lo - 1e-9 * span || t.value > hi + 1e-9 * span) continue;
    const double x = left + (t.value - lo) / span * width;
    painter.drawLine(QPointF(x, tickTop), QPointF(x, tickTop + 3));
    const QString label = QString::fromStdString(t.label);
    const int labelWidth = fm.horizontalAdvance(label);
    const int labelLeft =
        std::clamp(static_cast<int>(std::lround(x)) - labelWidth / 2, clipLeft, clipRight - labelWidth);
    if (labelLeft <= lastRight + 6) continue;  // would touch the previous label
    painter.drawText(QRect(labelLeft, tickTop + 3, labelWidth + 1, fm.height()), Qt::AlignCenter, label);
    lastRight = labelLeft + labelWidth;
  }
}

void paintColorBar(QPainter& painter, const QRect& rect, const sky::Colormap& map, const sky::ColorScale& scale,
                   const QString& unit) {
  const QFontMetrics fm = painter.fontMetrics();
  const int line = fm.height();
  // The gradient, tick marks with 1-2-5 labels under it (as healpy's colour bars), the unit
  // centred on the line below.
  const int gradientHeight = std::clamp(rect.height() - 2 * line - 4, 6, 14);
  QImage bar(rect.width(), 1, QImage::Format_ARGB32);
  for (int x = 0; x < rect.width(); ++x)
    bar.setPixel(x, 0, map.color(rect.width() > 1 ? x / (rect.width() - 1.0) : 0.5));
  const QRect gradient(rect.left(), rect.top(), rect.width(), gradientHeight);
  painter.drawImage(gradient, bar);
  painter.setPen(Qt::black);
  painter.drawRect(gradient);
  const int labelY = gradient.bottom() + 4;
  if (scale.max > scale.min && std::isfinite(scale.max - scale.min))
    drawValueTicks(painter, rect.left(), rect.width(), gradient.bottom() + 1, scale.min, scale.max, rect.left() - 1000,
                   rect.right() + 1000);
  else
    painter.drawText(QRect(rect.left(), labelY, rect.width(), line), Qt::AlignHCenter, formatValue(scale.min));
  painter.drawText(QRect(rect.left(), labelY + line, rect.width(), line), Qt::AlignHCenter | Qt::AlignTop, unit);
}

}  // namespace ui
