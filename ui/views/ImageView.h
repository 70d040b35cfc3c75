#pragma once
// What the model saw: the current map on the model's cartview grid after preprocessing
// (north up, longitude growing to the left), with the latest attribution of that map overlaid
// at an adjustable opacity. Pixels outside the shared selection are dimmed; with a selection
// tool a drag draws a rectangle or lasso in longitude/latitude, or a disc.
#include <QWidget>

#include "state/SkySession.h"
#include "views/SelectionGesture.h"
#include "views/ViewRegistry.h"

class QSlider;

namespace ui {

class ImageView : public QWidget {
  Q_OBJECT
 public:
  // Its entry in the view registry (views/ViewRegistry.h): id, title, figure, session state.
  static ViewSpec viewSpec();
  explicit ImageView(SkySession* session, QWidget* parent = nullptr);
  void setOverlayOpacity(double opacity);  // 0..1
  void paintFigure(QPainter& painter, const QRect& bounds);
  QRect imageRect(const QRect& bounds) const;  // where the image is drawn
  ViewMapping mapping() const;                 // widget position -> (lon, lat) and sky direction

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;

 private:
  QImage render(const sky::Image& image, int channel, const QString& colormap, const sky::ColorScale& scale, int alpha,
                const std::vector<uint8_t>* selected) const;
  SkySession* session_;
  QSlider* opacity_;
  SelectionGesture gesture_;
};

}  // namespace ui
