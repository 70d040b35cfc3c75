#include "views/ImageView.h"

#include <QPainter>
#include <QSlider>
#include <QVBoxLayout>

#include "render/Colormap.h"
#include "sky/Cartview.h"
#include "util/Error.h"

namespace ui {

ImageView::ImageView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMinimumSize(400, 240);
  opacity_ = new QSlider(Qt::Horizontal, this);
  opacity_->setRange(0, 100);
  opacity_->setValue(60);
  opacity_->setToolTip(tr("Opacity of the attribution overlay"));
  auto* layout = new QVBoxLayout(this);
  layout->addStretch();
  layout->addWidget(opacity_);
  connect(opacity_, &QSlider::valueChanged, this, [this] { update(); });
  connect(session_, &SkySession::currentChanged, this, [this] { update(); });
  connect(session_, &SkySession::layersChanged, this, [this] { update(); });
}

void ImageView::setOverlayOpacity(double opacity) { opacity_->setValue(static_cast<int>(opacity * 100)); }

QImage ImageView::render(const sky::Image& image, const QString& colormap, const sky::ColorScale& scale, int alpha) const {
  const auto plane = image.plane(0);
  const sky::Colormap cmap = sky::Colormap::named(colormap.toStdString());
  QImage out(image.width(), image.height(), QImage::Format_ARGB32);
  for (int i = 0; i < image.height(); ++i) {
    auto* line = reinterpret_cast<uint32_t*>(out.scanLine(image.height() - 1 - i));  // row 0 is south: north up
    for (int j = 0; j < image.width(); ++j) {
      const double v = plane[static_cast<size_t>(i) * image.width() + j];
      const uint32_t c = sky::isMasked(v) ? sky::kMaskedColor : cmap.color(scale.normalise(v));
      line[j] = (c & 0x00FFFFFFu) | (static_cast<uint32_t>(alpha) << 24);
    }
  }
  return out;
}

void ImageView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::white);
  const int current = session_->currentIndex();
  const Layer* l = session_->layer(current);
  if (!l) return;
  // The map this view shows, and its newest attribution.
  const int mapIndex = l->kind == Layer::Kind::Attribution ? l->sourceLayer : current;
  const Layer* attribution = l->kind == Layer::Kind::Attribution ? l : nullptr;
  for (int i = static_cast<int>(session_->layers().size()) - 1; !attribution && i >= 0; --i) {
    const Layer& a = session_->layers()[i];
    if (a.kind == Layer::Kind::Attribution && a.sourceLayer == mapIndex && a.visible) attribution = &a;
  }
  QRect target = rect().adjusted(8, 8, -8, -40);
  target.setHeight(std::min(target.height(), target.width() / 2));
  try {
    std::shared_ptr<const sky::Image> input;
    if (session_->model()) {
      input = session_->modelInputFor(mapIndex);
    } else if (const Layer* m = session_->layer(mapIndex)) {
      input = std::make_shared<const sky::Image>(sky::projectCartview(*m->map, sky::CartviewGrid::forWidth(256), {0}));
    }
    if (input) painter.drawImage(target, render(*input, "planck", sky::ColorScale::fromValues(input->plane(0)), 255));
    if (attribution && attribution->image) {
      // The attribution layer's own colour map and range, as in the sky views.
      painter.drawImage(target, render(*attribution->image, attribution->colormap, session_->colorScaleOf(*attribution),
                                       opacity_->value() * 255 / 100));
    }
    painter.setPen(Qt::black);
    painter.drawText(target.adjusted(4, 4, 0, 0), Qt::AlignLeft | Qt::AlignTop,
                     session_->model() ? tr("model input (cartview, preprocessed)") : tr("cartview"));
  } catch (const sky::SkyError& e) {
    painter.drawText(rect(), Qt::AlignCenter, QString::fromStdString(e.what()));
  }
}

}  // namespace ui
