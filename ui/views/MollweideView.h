#pragma once
// healpy mollview look: the current layer in Mollweide projection (north up, longitude growing
// to the left), graticule, colour bar with units, title; wheel zooms, drag pans; the pixel
// under the cursor is reported for the status-bar readout.
#include <QImage>
#include <QWidget>

#include "render/Colormap.h"
#include "sky/Mollweide.h"
#include "state/SkySession.h"

namespace ui {

class MollweideView : public QWidget {
  Q_OBJECT
 public:
  explicit MollweideView(SkySession* session, QWidget* parent = nullptr);
  // The RING pixel at a widget position, -1 outside the sky (also used by tests).
  qint64 pixelAt(QPointF position) const;
  void resetView();

 signals:
  void pixelHovered(qint64 ringPixel);

 protected:
  void paintEvent(QPaintEvent*) override;
  void resizeEvent(QResizeEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;

 private:
  QRect mapArea() const;
  void rebuild();
  SkySession* session_;
  sky::MollweideRaster raster_;
  QImage image_;
  sky::ColorScale scale_;
  double zoom_ = 1.0;
  sky::PlanePoint centre_;
  QPointF dragStart_;
  sky::PlanePoint centreAtDrag_;
  bool dirty_ = true;
};

}  // namespace ui
