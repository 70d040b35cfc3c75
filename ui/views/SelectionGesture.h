#pragma once
// Turns a left-drag on a 2D sky view into a selection region: a disc (centre at the press,
// edge under the cursor), a rectangle or a lasso on the view's projection plane. The view says
// how its widget positions map to the plane and to the sky; the gesture paints its outline.
#include <QPainter>
#include <QPointF>
#include <functional>
#include <optional>
#include <vector>

#include "select/Selection.h"
#include "state/SkySession.h"

namespace ui {

struct ViewMapping {
  sky::ProjectionPlane plane = sky::ProjectionPlane::Mollweide;
  std::function<std::optional<sky::PlanePoint>(QPointF)> toPlane;
  std::function<std::optional<sky::SkyDirection>(QPointF)> toSky;
};

class SelectionGesture {
 public:
  void begin(SelectionTool tool, QPointF position);
  void move(QPointF position);
  bool active() const { return !points_.empty(); }
  // The region drawn, or nothing for a click or a shape that misses the sky; ends the gesture.
  std::optional<sky::Region> finish(const ViewMapping& mapping);
  void paint(QPainter& painter) const;

 private:
  SelectionTool tool_ = SelectionTool::Navigate;
  std::vector<QPointF> points_;
};

}  // namespace ui
