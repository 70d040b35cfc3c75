#pragma once
// What the model saw: the current map on the model's cartview grid after preprocessing
// (north up), with the latest attribution of that map overlaid at an adjustable opacity.
#include <QWidget>

#include "state/SkySession.h"

class QSlider;

namespace ui {

class ImageView : public QWidget {
  Q_OBJECT
 public:
  explicit ImageView(SkySession* session, QWidget* parent = nullptr);
  void setOverlayOpacity(double opacity);  // 0..1

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  QImage render(const sky::Image& image, const QString& colormap, const sky::ColorScale& scale, int alpha) const;
  SkySession* session_;
  QSlider* opacity_;
};

}  // namespace ui
