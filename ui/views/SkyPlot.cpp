#include "views/SkyPlot.h"

#include <QPicture>
#include <cmath>

#include "render/AxisTicks.h"

namespace ui {

QVector<double> NiceTicker::createTickVector(double, const QCPRange& range) {
  labels_.clear();
  const auto ticks = logarithmic_ && range.lower > 0 ? sky::logTicks(range.lower, range.upper)
                                                     : sky::linearTicks(range.lower, range.upper, 6);
  QVector<double> out;
  for (const auto& t : ticks) {
    out << t.value;
    labels_[t.value] = QString::fromStdString(t.label);
  }
  return out;
}

QString NiceTicker::getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) {
  const auto it = labels_.find(tick);
  return it != labels_.end() ? it->second : QCPAxisTicker::getTickLabel(tick, locale, formatChar, precision);
}

SkyPlot::SkyPlot(QWidget* parent) : QCustomPlot(parent) {
  setFont(QApplication::font());
  setBackground(Qt::white);
  for (QCPAxis* axis : {xAxis, yAxis, yAxis2}) {
    axis->setLabelFont(QApplication::font());
    axis->setTickLabelFont(QApplication::font());
    setScale(axis, false);
  }
  // The legend above the axis rect, in a row of its own: it never covers data.
  legend->setVisible(true);
  legend->setFont(QApplication::font());
  legend->setBorderPen(Qt::NoPen);
  legend->setFillOrder(QCPLayoutGrid::foRowsFirst);
  axisRect()->insetLayout()->take(legend);
  plotLayout()->insertRow(0);
  plotLayout()->addElement(0, 0, legend);
  plotLayout()->setRowStretchFactor(0, 0.001);
  legend->setMargins(QMargins(8, 4, 8, 0));
}

void SkyPlot::setScale(QCPAxis* axis, bool logarithmic) {
  axis->setScaleType(logarithmic ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  axis->setTicker(QSharedPointer<NiceTicker>(new NiceTicker(logarithmic)));
  axis->setSubTicks(false);
}

void SkyPlot::fitAxis(QCPAxis* axis, double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return;
  if (axis->scaleType() == QCPAxis::stLogarithmic) {
    lo = std::max(lo, 1e-300);
    hi = std::max(hi, lo * 10);
    axis->setRange(lo / 1.2, hi * 1.2);
    return;
  }
  const double pad = hi > lo ? 0.04 * (hi - lo) : std::max(1.0, std::abs(lo) * 0.1);
  axis->setRange(lo - pad, hi + pad);
}

QCPTextElement* SkyPlot::addTitleRow() {
  plotLayout()->insertRow(0);
  auto* title = new QCPTextElement(this, QString(), QApplication::font());
  plotLayout()->addElement(0, 0, title);
  plotLayout()->setRowStretchFactor(0, 0.001);
  return title;
}

void SkyPlot::clearAll() {
  clearPlottables();  // graphs and bars
  clearItems();
  message_ = nullptr;
  yAxis2->setVisible(false);
  yAxis2->setLabel({});
}

QCPGraph* SkyPlot::addLine(const QVector<double>& x, const QVector<double>& y, const QPen& pen, const QString& name,
                           QCPAxis* valueAxis) {
  QCPGraph* g = addGraph(xAxis, valueAxis);
  g->setData(x, y, true);
  g->setPen(pen);
  g->setName(name);
  g->setAdaptiveSampling(true);
  return g;
}

void SkyPlot::setMessage(const QString& message) {
  if (message.isEmpty()) {
    if (message_) removeItem(message_);
    message_ = nullptr;
    return;
  }
  if (!message_) {
    message_ = new QCPItemText(this);
    message_->position->setType(QCPItemPosition::ptAxisRectRatio);
    message_->position->setCoords(0.5, 0.5);
    message_->setFont(QApplication::font());
  }
  message_->setText(message);
}

void SkyPlot::paintFigure(QPainter& painter, const QRect& bounds) {
  QPicture picture;
  {
    QCPPainter recorder(&picture);
    toPainter(&recorder, bounds.width(), bounds.height());
  }
  painter.save();
  painter.fillRect(bounds, Qt::white);
  painter.drawPicture(bounds.topLeft(), picture);
  painter.restore();
  replot();  // toPainter changed the viewport for a moment: the screen's copy as it was
}

}  // namespace ui
