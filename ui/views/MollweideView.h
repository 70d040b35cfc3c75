#pragma once
// healpy mollview look: a layer in Mollweide projection (north up, longitude growing to the
// left), graticule, colour bar with units, title; wheel zooms, drag pans (or draws a selection
// region with a selection tool); pixels outside the shared selection are dimmed; the pixel under
// the cursor is reported for the status-bar readout. Follows the current layer unless pinned
// to one (comparison panels), and can share its camera and colour scale with other views.
#include <QImage>
#include <QWidget>
#include <array>
#include <optional>

#include "render/Colormap.h"
#include "sky/Mollweide.h"
#include "state/SkySession.h"
#include "views/SelectionGesture.h"
#include "views/ViewRegistry.h"

namespace ui {

struct MollweideCamera {
  double zoom = 1.0;
  sky::PlanePoint centre;
};

class MollweideView : public QWidget {
  Q_OBJECT
 public:
  // Its entry in the view registry (views/ViewRegistry.h): id, title, figure, session state.
  static ViewSpec viewSpec();
  explicit MollweideView(SkySession* session, QWidget* parent = nullptr);
  // The RING pixel at a widget position, -1 outside the sky (also used by tests).
  qint64 pixelAt(QPointF position) const;
  std::optional<sky::SkyDirection> directionAt(QPointF position) const;
  void resetView();
  void setPinnedLayer(int index);  // -1: follow the current layer
  int shownLayer() const;
  int pinnedLayer() const { return pinned_; }
  void setScaleOverride(std::optional<sky::ColorScale> scale);
  std::optional<sky::ColorScale> scaleOverride() const { return scaleOverride_; }
  MollweideCamera camera() const { return camera_; }
  void setCamera(MollweideCamera camera);  // emits nothing (used by camera links)
  // Degrees written on the graticule (parallels on the left, meridians along the equator), as
  // healpy's graticule labels; on by default.
  void setGraticuleLabels(bool on);
  bool graticuleLabels() const { return graticuleLabels_; }
  // Draws the view into any paint device (screen, PNG, SVG, PDF). rasterScale > 1 renders the
  // sky raster at that many device pixels per point (sharp figures at high DPI).
  void paintFigure(QPainter& painter, const QRect& bounds, double rasterScale = 1.0);

 signals:
  void pixelHovered(qint64 ringPixel);
  void cameraChanged(ui::MollweideCamera camera);

 protected:
  void paintEvent(QPaintEvent*) override;
  void resizeEvent(QResizeEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;

 private:
  static QRect mapAreaOf(const QRect& bounds);
  QImage renderSky(const Layer& layer, const sky::MollweideRaster& raster, const sky::ColorScale& scale,
                   bool onScreen) const;
  sky::ColorScale scaleFor(const Layer& layer) const;
  ViewMapping mapping() const;
  void changed();
  SkySession* session_;
  int pinned_ = -1;
  std::optional<sky::ColorScale> scaleOverride_;
  sky::MollweideRaster raster_;        // of the widget's own map area
  std::array<double, 6> rasterKey_{};  // nside, width, height, zoom, centre it was made for
  QImage image_;
  MollweideCamera camera_;
  bool graticuleLabels_ = true;
  QPointF dragStart_;
  sky::PlanePoint centreAtDrag_;
  SelectionGesture gesture_;
  bool dirty_ = true;
};

}  // namespace ui

Q_DECLARE_METATYPE(ui::MollweideCamera)
