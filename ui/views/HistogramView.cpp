#include "views/HistogramView.h"

#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "views/ColorBar.h"

namespace ui {

HistogramView::HistogramView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMinimumHeight(90);
  setToolTip(tr("Values of the layer; drag across to select the pixels with values in that range"));
  connect(session_, &SkySession::selectionChanged, this, [this] { update(); });
}

void HistogramView::setLayer(const Layer* layer) {
  if ((layer ? layer->map : nullptr) == map_ && map_) return;  // same values: the bins stand (refreshes come often)
  map_ = layer ? layer->map : nullptr;
  name_ = layer ? layer->name : QString();
  counts_.assign(60, 0);
  if (map_) {
    const sky::ColorScale range = sky::ColorScale::fromValues(map_->field(0), 0.0, 100.0);
    min_ = range.min;
    max_ = range.max > range.min ? range.max : range.min + 1;
    for (double v : map_->field(0)) {
      if (sky::isMasked(v)) continue;
      const int bin = std::clamp(static_cast<int>((v - min_) / (max_ - min_) * 60), 0, 59);
      ++counts_[static_cast<size_t>(bin)];
    }
  }
  update();
}

double HistogramView::valueAt(double x) const {
  const QRect p = plot();
  return min_ + std::clamp((x - p.left()) / std::max(1, p.width()), 0.0, 1.0) * (max_ - min_);
}

void HistogramView::brush(double lo, double hi) {
  if (!map_) return;
  session_->addRegion(sky::ValueRangeRegion{name_.toStdString(), map_, std::min(lo, hi), std::max(lo, hi), false});
}

void HistogramView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::white);
  const QRect p = plot();
  if (!map_) {
    painter.drawText(rect(), Qt::AlignCenter, tr("no layer"));
    return;
  }
  auto xOf = [&](double v) { return p.left() + (v - min_) / (max_ - min_) * p.width(); };
  // Value-range regions of the selection brushed on this layer, and the drag in progress.
  for (const auto& step : session_->selection().steps()) {
    if (const auto* r = std::get_if<sky::ValueRangeRegion>(&step.region); r && r->map == map_ && !r->absolute) {
      painter.fillRect(QRectF(QPointF(xOf(r->lo), p.top()), QPointF(xOf(r->hi), p.bottom())), QColor(255, 200, 0, 90));
    }
  }
  if (!std::isnan(dragFrom_)) {
    painter.fillRect(QRectF(QPointF(xOf(std::min(dragFrom_, dragTo_)), p.top()), QPointF(xOf(std::max(dragFrom_, dragTo_)), p.bottom())),
                     QColor(255, 200, 0, 140));
  }
  const int peak = std::max(1, *std::max_element(counts_.begin(), counts_.end()));
  const double w = static_cast<double>(p.width()) / counts_.size();
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(90, 90, 140));
  for (size_t k = 0; k < counts_.size(); ++k) {
    // Square-root heights keep the tails visible.
    const double h = std::sqrt(static_cast<double>(counts_[k]) / peak) * p.height();
    painter.drawRect(QRectF(p.left() + k * w, p.bottom() - h, std::max(1.0, w - 1), h));
  }
  painter.setPen(Qt::black);
  painter.drawText(QRect(p.left(), p.bottom() + 2, p.width(), 16), Qt::AlignLeft, formatValue(min_));
  painter.drawText(QRect(p.left(), p.bottom() + 2, p.width(), 16), Qt::AlignRight, formatValue(max_));
  painter.drawText(QRect(p.left(), p.bottom() + 2, p.width(), 16), Qt::AlignHCenter, tr("%1 (sqrt counts)").arg(name_.left(28)));
}

void HistogramView::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && map_) dragFrom_ = dragTo_ = valueAt(e->position().x());
}

void HistogramView::mouseMoveEvent(QMouseEvent* e) {
  if (std::isnan(dragFrom_)) return;
  dragTo_ = valueAt(e->position().x());
  update();
}

void HistogramView::mouseReleaseEvent(QMouseEvent* e) {
  if (std::isnan(dragFrom_)) return;
  dragTo_ = valueAt(e->position().x());
  const double lo = std::min(dragFrom_, dragTo_), hi = std::max(dragFrom_, dragTo_);
  dragFrom_ = dragTo_ = NAN;
  if (hi > lo) brush(lo, hi);
  update();
}

}  // namespace ui
