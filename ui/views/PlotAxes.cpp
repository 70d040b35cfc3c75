#include "views/PlotAxes.h"

#include <algorithm>
#include <cmath>

#include "render/AxisTicks.h"

namespace ui {

int drawBottomAxis(QPainter& painter, const QRect& plot, double lo, double hi, const QString& title) {
  const int line = painter.fontMetrics().height();
  if (hi > lo) {
    for (const auto& t : sky::linearTicks(lo, hi, std::max(2, plot.width() / 90))) {
      const int x = plot.left() + static_cast<int>(std::lround((t.value - lo) / (hi - lo) * plot.width()));
      painter.drawLine(x, plot.bottom(), x, plot.bottom() + 4);
      painter.drawText(QRect(x - 40, plot.bottom() + 5, 80, line), Qt::AlignHCenter, QString::fromStdString(t.label));
    }
  }
  painter.drawText(QRect(plot.left(), plot.bottom() + 5 + line, plot.width(), line), Qt::AlignCenter, title);
  return 5 + 2 * line;
}

void drawSideAxis(QPainter& painter, const QRect& plot, double lo, double hi, bool left, bool logarithmic,
                  const QString& title) {
  if (!(hi > lo)) return;
  const auto ticks = logarithmic ? sky::logTicks(std::pow(10.0, lo), std::pow(10.0, hi))
                                 : sky::linearTicks(lo, hi, std::max(2, plot.height() / 60));
  const int line = painter.fontMetrics().height();
  const int edge = left ? plot.left() : plot.right();
  int widest = 0;
  for (const auto& t : ticks) {
    const double v = logarithmic ? std::log10(t.value) : t.value;
    const int y = plot.bottom() - static_cast<int>(std::lround((v - lo) / (hi - lo) * plot.height()));
    painter.drawLine(left ? edge - 4 : edge, y, left ? edge : edge + 4, y);
    const QString label = QString::fromStdString(t.label);
    widest = std::max(widest, painter.fontMetrics().horizontalAdvance(label));
    const QRect box = left ? QRect(edge - 66, y - line / 2, 60, line) : QRect(edge + 6, y - line / 2, 60, line);
    painter.drawText(box, (left ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter, label);
  }
  painter.save();
  painter.translate(left ? edge - 10 - widest - line : edge + 10 + widest + line, plot.center().y());
  painter.rotate(left ? -90 : 90);
  painter.drawText(QRect(-plot.height() / 2, -line, plot.height(), line), Qt::AlignCenter,
                   painter.fontMetrics().elidedText(title, Qt::ElideRight, plot.height()));
  painter.restore();
}

}  // namespace ui
