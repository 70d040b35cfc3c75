#include "views/ColorBar.h"

#include <QImage>

namespace ui {

QString formatValue(double v) { return QString::number(v, 'g', 4); }

void paintColorBar(QPainter& painter, const QRect& rect, const sky::Colormap& map, const sky::ColorScale& scale,
                   const QString& unit) {
  QImage bar(rect.width(), 1, QImage::Format_ARGB32);
  for (int x = 0; x < rect.width(); ++x) bar.setPixel(x, 0, map.color(rect.width() > 1 ? x / (rect.width() - 1.0) : 0.5));
  const QRect gradient(rect.left(), rect.top(), rect.width(), rect.height() / 2);
  painter.drawImage(gradient, bar);
  painter.setPen(Qt::black);
  painter.drawRect(gradient);
  const QRect labels(rect.left(), gradient.bottom() + 2, rect.width(), rect.height() - gradient.height() - 2);
  painter.drawText(labels, Qt::AlignLeft | Qt::AlignTop, formatValue(scale.min));
  painter.drawText(labels, Qt::AlignRight | Qt::AlignTop, formatValue(scale.max));
  painter.drawText(labels, Qt::AlignHCenter | Qt::AlignTop, unit);
}

}  // namespace ui
