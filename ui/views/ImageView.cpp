#include "views/ImageView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QSlider>
#include <QVBoxLayout>
#include <numbers>

#include "model/ModelCard.h"
#include "render/Colormap.h"
#include "sky/Cartview.h"
#include "util/Error.h"
#include "views/ColorBar.h"
#include "views/SelectionOutline.h"

namespace ui {

ImageView::ImageView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMinimumSize(300, 200);
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
  connect(session_, &SkySession::selectionChanged, this, [this] { update(); });
  connect(session_, &SkySession::selectionMasksReady, this, [this] { update(); });
}

void ImageView::setOverlayOpacity(double opacity) { opacity_->setValue(static_cast<int>(opacity * 100)); }

QImage ImageView::render(const sky::Image& image, int channel, const QString& colormap, const sky::ColorScale& scale,
                         int alpha, const std::vector<uint8_t>* selected) const {
  const auto plane = image.plane(std::clamp(channel, 0, image.channels() - 1));
  const sky::Colormap cmap = sky::Colormap::named(colormap.toStdString());
  QImage out(image.width(), image.height(), QImage::Format_ARGB32);
  for (int i = 0; i < image.height(); ++i) {
    auto* line = reinterpret_cast<uint32_t*>(out.scanLine(image.height() - 1 - i));  // row 0 is south: north up
    for (int j = 0; j < image.width(); ++j) {
      const size_t k = static_cast<size_t>(i) * image.width() + j;
      const double v = plane[k];
      uint32_t c = sky::isMasked(v) ? sky::kMaskedColor : cmap.color(scale.normalise(v));
      int a = alpha;
      if (selected && !(*selected)[k]) a /= 3;  // outside the selection: faded (over white)
      line[j] = (c & 0x00FFFFFFu) | (static_cast<uint32_t>(a) << 24);
    }
  }
  if (selected && hasOutline(session_->selection())) {  // the outline, in the drawn (north-up) row order
    std::vector<uint8_t> flags(selected->size());
    for (int i = 0; i < image.height(); ++i)
      for (int j = 0; j < image.width(); ++j)
        flags[static_cast<size_t>(image.height() - 1 - i) * image.width() + j] =
            (*selected)[static_cast<size_t>(i) * image.width() + j];
    outlineSelection(out, flags);
  }
  return out;
}

QRect ImageView::imageRect(const QRect& bounds) const {
  // Title above; colour bars and (on screen) the opacity slider below.
  QRect target = bounds.adjusted(8, 28, -8, -84);
  target.setHeight(std::min(target.height(), target.width() / 2));
  return target;
}

ViewMapping ImageView::mapping() const {
  ViewMapping m;
  m.plane = sky::ProjectionPlane::LonLat;
  const QRect target = imageRect(rect());
  // Column 0 is longitude +180 (astro flip), the top row latitude +90.
  m.toPlane = [target](QPointF p) -> std::optional<sky::PlanePoint> {
    const double u = std::clamp((p.x() - target.left()) / target.width(), 0.0, 1.0);
    const double v = std::clamp((p.y() - target.top()) / target.height(), 0.0, 1.0);
    return sky::PlanePoint{180.0 - 360.0 * u, 90.0 - 180.0 * v};
  };
  m.toSky = [toPlane = m.toPlane](QPointF p) -> std::optional<sky::SkyDirection> {
    const auto q = toPlane(p);
    const double deg = std::numbers::pi / 180.0;
    double phi = q->x * deg;
    if (phi < 0) phi += 2 * std::numbers::pi;
    return sky::SkyDirection{(90.0 - q->y) * deg, phi};
  };
  return m;
}

void ImageView::paintFigure(QPainter& painter, const QRect& bounds) {
  painter.fillRect(bounds, Qt::white);
  const int current = session_->currentIndex();
  const Layer* l = session_->layer(current);
  if (!l) return;
  // The map this view shows, and its newest visible attribution.
  const int mapIndex = l->kind == Layer::Kind::Attribution ? l->sourceLayer : current;
  const Layer* attribution = session_->attributionFor(current);
  const QRect target = imageRect(bounds);
  try {
    const Layer* m = session_->layer(mapIndex);
    if (!m || !m->map) return;
    std::shared_ptr<const sky::Image> input;
    if (session_->model()) {
      input = session_->modelInputFor(mapIndex);
    } else {
      input = std::make_shared<const sky::Image>(sky::projectCartview(*m->map, sky::CartviewGrid::forWidth(256), {0}));
    }
    // The selection read at each image pixel through the cartview lookup.
    std::vector<uint8_t> selected;
    if (const auto mask = session_->selectionMaskIfReady(m->map->nside())) {
      const auto pixels = sky::cartviewPixels(sky::CartviewGrid::forWidth(input->width()), m->map->nside());
      selected.resize(pixels.size());
      for (size_t k = 0; k < pixels.size(); ++k) selected[k] = mask->inside[static_cast<size_t>(pixels[k])];
    }
    const std::vector<uint8_t>* sel = selected.empty() ? nullptr : &selected;
    // The input channel shown: the attribution's, or the map field's place among the model's channels.
    int inputChannel = attribution ? attribution->channel : 0;
    if (!attribution && session_->model() && m->inputMap) {
      const auto& names = session_->model()->card().channels;
      for (size_t k = 0; k < names.size(); ++k)
        if (m->inputMap->fieldIndex(names[k]) == m->channel) inputChannel = static_cast<int>(k);
    }
    const sky::ColorScale inputScale =
        sky::ColorScale::fromValues(input->plane(std::clamp(inputChannel, 0, input->channels() - 1)));
    painter.drawImage(target, render(*input, inputChannel, "planck", inputScale, 255, sel));
    if (attribution && attribution->image && attribution->image->width() == input->width()) {
      // The attribution layer's own colour map and range, as in the sky views.
      painter.drawImage(target, render(*attribution->image, attribution->channel, attribution->colormap,
                                       session_->colorScaleOf(*attribution), opacity_->value() * 255 / 100, sel));
    }
    painter.setPen(Qt::black);
    QFont bold = painter.font();
    bold.setBold(true);
    painter.save();
    painter.setFont(bold);
    painter.drawText(QRect(bounds.left(), bounds.top() + 4, bounds.width(), 20), Qt::AlignCenter,
                     attribution ? tr("%1 over %2").arg(attribution->name, m->name) : m->name);
    painter.restore();
    // One bar for the input, one for the overlay (each on its own scale).
    const int barWidth = std::min(320, target.width() / 2 - 20);
    const QString inputUnit =
        session_->model() ? tr("model input (%1)")
                                .arg(QString::fromUtf8(sky::preprocessingName(session_->model()->card().preprocessing)))
                          : QString::fromStdString(m->map->unit());
    paintColorBar(painter, QRect(target.left() + target.width() / 4 - barWidth / 2, target.bottom() + 6, barWidth, 36),
                  sky::Colormap::named("planck"), inputScale, inputUnit);
    if (attribution && attribution->image) {
      paintColorBar(painter,
                    QRect(target.left() + 3 * target.width() / 4 - barWidth / 2, target.bottom() + 6, barWidth, 36),
                    sky::Colormap::named(attribution->colormap.toStdString()), session_->colorScaleOf(*attribution),
                    tr("attribution"));
    }
  } catch (const sky::SkyError& e) {
    painter.drawText(bounds, Qt::AlignCenter, QString::fromStdString(e.what()));
  }
}

void ImageView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paintFigure(painter, rect());
  gesture_.paint(painter);
}

void ImageView::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && session_->tool() != SelectionTool::Navigate)
    gesture_.begin(session_->tool(), e->position());
}

void ImageView::mouseMoveEvent(QMouseEvent* e) {
  if (!gesture_.active()) return;
  gesture_.move(e->position());
  update();
}

void ImageView::mouseReleaseEvent(QMouseEvent* e) {
  if (!gesture_.active()) return;
  gesture_.move(e->position());
  if (auto region = gesture_.finish(mapping())) session_->addRegion(std::move(*region));
  update();
}

ViewSpec ImageView::viewSpec() {
  ViewSpec s;
  s.id = "image";
  s.title = QT_TRANSLATE_NOOP("ui::ViewRegistry", "Model input");
  s.create = [](const ViewHost& host, QWidget* parent) -> QWidget* { return new ImageView(host.session, parent); };
  s.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double) {
    static_cast<ImageView*>(v)->paintFigure(p, r);
  };
  return s;
}

}  // namespace ui
