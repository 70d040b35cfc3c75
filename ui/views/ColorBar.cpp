#include "views/ColorBar.h"

#include <QFontMetrics>
#include <QImage>
#include <algorithm>

namespace ui {

QString formatValue(double v) { return QString::number(v, 'g', 4); }

void paintColorBar(QPainter& painter, const QRect& rect, const sky::Colormap& map, const sky::ColorScale& scale,
                   const QString& unit) {
  QImage bar(rect.width(), 1, QImage::Format_ARGB32);
  for (int x = 0; x < rect.width(); ++x)
    bar.setPixel(x, 0, map.color(rect.width() > 1 ? x / (rect.width() - 1.0) : 0.5));
  const QRect gradient(rect.left(), rect.top(), rect.width(), rect.height() / 2);
  painter.drawImage(gradient, bar);
  painter.setPen(Qt::black);
  painter.drawRect(gradient);
  const QRect labels(rect.left(), gradient.bottom() + 2, rect.width(), rect.height() - gradient.height() - 2);
  const QString lo = formatValue(scale.min), hi = formatValue(scale.max);
  painter.drawText(labels, Qt::AlignLeft | Qt::AlignTop, lo);
  painter.drawText(labels, Qt::AlignRight | Qt::AlignTop, hi);
  // The unit between the end labels when it fits, else under the bar's centre on a line of its own.
  const QFontMetrics fm = painter.fontMetrics();
  const int room = rect.width() - 2 * std::max(fm.horizontalAdvance(lo), fm.horizontalAdvance(hi)) - 8;
  if (fm.horizontalAdvance(unit) <= room)
    painter.drawText(labels, Qt::AlignHCenter | Qt::AlignTop, unit);
  else
    painter.drawText(labels.translated(0, fm.height()), Qt::AlignHCenter | Qt::AlignTop, unit);
}

}  // namespace ui
