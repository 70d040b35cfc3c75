#include "views/ColorBar.h"

#include <QFontMetrics>
#include <QImage>
#include <algorithm>

#include "render/AxisTicks.h"

namespace ui {

QString formatValue(double v) { return QString::number(v, 'g', 4); }

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
  const double span = scale.max - scale.min;
  int labelY = gradient.bottom() + 4;
  if (span > 0 && std::isfinite(span)) {
    const auto ticks = sky::linearTicks(scale.min, scale.max, std::max(2, rect.width() / 70));
    int lastRight = rect.left() - 1000;
    for (const auto& t : ticks) {
      if (t.value < scale.min - 1e-9 * span || t.value > scale.max + 1e-9 * span) continue;
      const double x = rect.left() + (t.value - scale.min) / span * rect.width();
      painter.drawLine(QPointF(x, gradient.bottom() + 1), QPointF(x, gradient.bottom() + 3));
      const QString label = QString::fromStdString(t.label);
      const int w = fm.horizontalAdvance(label);
      const int left = static_cast<int>(std::lround(x)) - w / 2;
      if (left <= lastRight + 6) continue;  // would touch the previous label
      painter.drawText(QRect(left, labelY, w + 1, line), Qt::AlignCenter, label);
      lastRight = left + w;
    }
  } else {
    painter.drawText(QRect(rect.left(), labelY, rect.width(), line), Qt::AlignHCenter, formatValue(scale.min));
  }
  painter.drawText(QRect(rect.left(), labelY + line, rect.width(), line), Qt::AlignHCenter | Qt::AlignTop, unit);
}

}  // namespace ui
