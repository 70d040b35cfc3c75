#include "views/SelectionGesture.h"

#include <QPainterPath>
#include <algorithm>
#include <cmath>

namespace ui {

void SelectionGesture::begin(SelectionTool tool, QPointF position) {
  tool_ = tool;
  points_ = {position};
}

void SelectionGesture::move(QPointF position) {
  if (points_.empty()) return;
  if (tool_ == SelectionTool::Lasso) {
    if ((position - points_.back()).manhattanLength() >= 2) points_.push_back(position);
  } else {
    points_.resize(1);
    points_.push_back(position);
  }
}

std::optional<sky::Region> SelectionGesture::finish(const ViewMapping& mapping) {
  std::vector<QPointF> points;
  points.swap(points_);
  if (points.size() < 2 || (points.back() - points.front()).manhattanLength() < 3) {
    if (tool_ != SelectionTool::Lasso || points.size() < 3) return std::nullopt;  // a click, not a shape
  }
  if (tool_ == SelectionTool::Disc) {
    const auto centre = mapping.toSky(points.front()), edge = mapping.toSky(points.back());
    if (!centre || !edge) return std::nullopt;
    return sky::DiscRegion{*centre, sky::angularDistance(*centre, *edge)};
  }
  std::vector<QPointF> outline = points;
  if (tool_ == SelectionTool::Rectangle) {
    const QPointF a = points.front(), b = points.back();
    outline = {a, {b.x(), a.y()}, b, {a.x(), b.y()}};
  }
  sky::PolygonRegion polygon{mapping.plane, {}};
  for (const QPointF& p : outline) {
    if (const auto q = mapping.toPlane(p)) polygon.vertices.push_back(*q);
  }
  if (polygon.vertices.size() < 3) return std::nullopt;
  return polygon;
}

void SelectionGesture::paint(QPainter& painter) const {
  if (points_.size() < 2) return;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(QColor(255, 200, 0), 2, Qt::DashLine));
  const QPointF a = points_.front(), b = points_.back();
  if (tool_ == SelectionTool::Disc) {
    const double r = std::hypot(b.x() - a.x(), b.y() - a.y());
    painter.drawEllipse(a, r, r);
  } else if (tool_ == SelectionTool::Rectangle) {
    painter.drawRect(QRectF(a, b).normalized());
  } else {
    QPainterPath path(a);
    for (const QPointF& p : points_) path.lineTo(p);
    path.closeSubpath();
    painter.drawPath(path);
  }
  painter.restore();
}

}  // namespace ui
