#include "views/MollweideView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include "views/ColorBar.h"

namespace ui {

MollweideView::MollweideView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMouseTracking(true);
  setMinimumSize(400, 260);
  connect(session_, &SkySession::currentChanged, this, [this] { dirty_ = true; update(); });
  connect(session_, &SkySession::layersChanged, this, [this] { dirty_ = true; update(); });
}

QRect MollweideView::mapArea() const { return rect().adjusted(8, 28, -8, -48); }

void MollweideView::resetView() {
  zoom_ = 1.0;
  centre_ = {};
  dirty_ = true;
  update();
}

void MollweideView::rebuild() {
  dirty_ = false;
  const Layer* l = session_->layer(session_->currentIndex());
  const QRect area = mapArea();
  if (!l || !l->map || area.width() < 4 || area.height() < 4) {
    image_ = QImage();
    return;
  }
  // The lookup depends on nside, size, zoom and centre; rebuilt only when dirty.
  raster_ = sky::mollweideRaster(l->map->nside(), area.width(), area.height(), zoom_, centre_);
  const auto values = l->map->field(0);
  scale_ = session_->colorScaleOf(*l);
  const sky::Colormap cmap = sky::Colormap::named(l->colormap.toStdString());
  image_ = QImage(area.width(), area.height(), QImage::Format_ARGB32);
  image_.fill(Qt::transparent);
  for (int row = 0; row < raster_.height; ++row) {
    auto* line = reinterpret_cast<uint32_t*>(image_.scanLine(row));
    for (int col = 0; col < raster_.width; ++col) {
      const int64_t p = raster_.pixel[static_cast<size_t>(row) * raster_.width + col];
      if (p < 0) continue;
      const double v = values[p];
      line[col] = sky::isMasked(v) ? sky::kMaskedColor : cmap.color(scale_.normalise(v));
    }
  }
}

void MollweideView::paintEvent(QPaintEvent*) {
  if (dirty_) rebuild();
  QPainter painter(this);
  painter.fillRect(rect(), Qt::white);
  const Layer* l = session_->layer(session_->currentIndex());
  if (image_.isNull() || !l) {
    painter.drawText(rect(), Qt::AlignCenter, tr("Open a map (File > Open map) or the demo (File > Open demo)"));
    return;
  }
  const QRect area = mapArea();
  painter.drawImage(area.topLeft(), image_);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(QColor(0, 0, 0, 90), 0.8));
  for (const auto& line : sky::mollweideGraticule(30.0, 60.0, 121)) {
    QPainterPath path;
    for (size_t i = 0; i < line.points.size(); ++i) {
      const sky::PlanePoint p = raster_.toRaster(line.points[i]);
      const QPointF q(area.left() + p.x, area.top() + p.y);
      if (i == 0) path.moveTo(q);
      else path.lineTo(q);
    }
    painter.drawPath(path);
  }
  painter.setPen(Qt::black);
  QFont title = font();
  title.setBold(true);
  painter.setFont(title);
  painter.drawText(QRect(0, 4, width(), 20), Qt::AlignCenter, l->name);
  painter.setFont(font());
  const QRect bar(width() / 4, height() - 42, width() / 2, 36);
  paintColorBar(painter, bar, sky::Colormap::named(l->colormap.toStdString()), scale_,
                l->kind == Layer::Kind::Attribution ? tr("attribution") : QString::fromStdString(l->map->unit()));
}

void MollweideView::resizeEvent(QResizeEvent*) { dirty_ = true; }

qint64 MollweideView::pixelAt(QPointF position) const {
  const QRect area = mapArea();
  const double x = position.x() - area.left(), y = position.y() - area.top();
  if (raster_.pixel.empty() || x < 0 || y < 0 || x >= raster_.width || y >= raster_.height) return -1;
  return raster_.pixel[static_cast<size_t>(y) * raster_.width + static_cast<size_t>(x)];
}

void MollweideView::mouseMoveEvent(QMouseEvent* e) {
  if (e->buttons() & Qt::LeftButton) {
    const QPointF d = e->position() - dragStart_;
    centre_ = {centreAtDrag_.x - d.x() / raster_.scale, centreAtDrag_.y + d.y() / raster_.scale};
    dirty_ = true;
    update();
    return;
  }
  emit pixelHovered(pixelAt(e->position()));
}

void MollweideView::mousePressEvent(QMouseEvent* e) {
  dragStart_ = e->position();
  centreAtDrag_ = centre_;
}

void MollweideView::wheelEvent(QWheelEvent* e) {
  zoom_ = std::clamp(zoom_ * (e->angleDelta().y() > 0 ? 1.25 : 0.8), 1.0, 64.0);
  if (zoom_ == 1.0) centre_ = {};
  dirty_ = true;
  update();
}

}  // namespace ui
