#include "views/HistogramView.h"

#include <QFutureWatcher>
#include <QMouseEvent>
#include <QPainter>
#include <QThreadPool>
#include <algorithm>
#include <cmath>
#include <functional>

#include "jobs/PoolRun.h"
#include "state/DisplayUnit.h"
#include "views/ColorBar.h"

namespace ui {

HistogramView::HistogramView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMinimumHeight(90);
  setToolTip(tr("Values of the layer; drag across to select the pixels with values in that range"));
  connect(session_, &SkySession::selectionChanged, this, [this] { update(); });
}

namespace {

constexpr int kBins = 60;

struct Bins {
  double min = 0, max = 1;
  std::vector<int> counts;
};

// Gives up (empty counts) as soon as `stillWanted` turns false: a newer layer is being counted.
Bins countBins(const sky::SkyMap& map, const std::function<bool()>& stillWanted) {
  Bins b;
  b.counts.assign(kBins, 0);
  double lo = INFINITY, hi = -INFINITY;
  const auto values = map.field(0);
  for (size_t p = 0; p < values.size(); ++p) {
    if (p % (1 << 20) == 0 && !stillWanted()) return {};
    const double v = values[p];
    if (sky::isMasked(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!(lo <= hi)) return b;  // nothing unmasked
  b.min = lo;
  b.max = hi > lo ? hi : lo + 1;
  for (double v : map.field(0)) {
    if (sky::isMasked(v)) continue;
    ++b.counts[static_cast<size_t>(std::clamp(static_cast<int>((v - b.min) / (b.max - b.min) * kBins), 0, kBins - 1))];
  }
  return b;
}

}  // namespace

void HistogramView::setLayer(const Layer* layer) {
  if ((layer ? layer->map : nullptr) == map_ && map_) return;  // same values: the bins stand (refreshes come often)
  map_ = layer ? layer->map : nullptr;
  name_ = layer ? layer->name : QString();
  unit_ = layer ? displayUnitOf(*layer) : DisplayUnit{};
  counts_.assign(kBins, 0);
  const int generation = ++generation_;
  latest_->store(generation);
  if (!map_) {
    ready_ = generation;
    update();
    return;
  }
  auto* watcher = new QFutureWatcher<void>(this);
  const auto job = runOnPool(computePool(), [map = map_, generation, latest = latest_] {
    return countBins(*map, [&] { return latest->load() == generation; });
  });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, job, generation] {
    watcher->deleteLater();
    if (generation != generation_) return;  // a newer layer is being counted
    Bins bins;
    try {
      bins = job.take();
    } catch (const std::exception&) {
      bins.counts.assign(kBins, 0);  // e.g. out of memory: an empty histogram, never a crash
    }
    min_ = bins.min;
    max_ = bins.max;
    counts_ = std::move(bins.counts);
    ready_ = generation;
    update();
    emit binsReady();
  });
  watcher->setFuture(job.future);
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

QRect HistogramView::plot() const {
  const int line = fontMetrics().height();
  return rect().adjusted(6, line + 4, -6, -(line + 4));
}

void HistogramView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::white);
  const QRect p = plot();
  if (!map_ || computing()) {
    painter.drawText(rect(), Qt::AlignCenter, map_ ? tr("counting %1...").arg(name_.left(40)) : tr("no layer"));
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
    painter.fillRect(QRectF(QPointF(xOf(std::min(dragFrom_, dragTo_)), p.top()),
                            QPointF(xOf(std::max(dragFrom_, dragTo_)), p.bottom())),
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
  // Title on its own row above the bars, a value axis with 1-2-5 ticks below them.
  painter.setPen(Qt::black);
  const int line = fontMetrics().height();
  painter.drawLine(p.bottomLeft(), p.bottomRight());
  const double lo = unit_.toDisplay(min_), hi = unit_.toDisplay(max_);
  drawValueTicks(painter, p.left(), p.width(), p.bottom(), lo, hi, 0, width());
  const QString title = unit_.label.isEmpty() ? tr("%1 (sqrt of counts)").arg(name_)
                                              : tr("%1 [%2] (sqrt of counts)").arg(name_, unit_.label);
  painter.drawText(QRect(p.left(), 2, p.width(), line), Qt::AlignHCenter,
                   fontMetrics().elidedText(title, Qt::ElideMiddle, p.width()));
}

void HistogramView::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && map_ && !computing()) dragFrom_ = dragTo_ = valueAt(e->position().x());
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
