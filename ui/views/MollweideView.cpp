#include "views/MollweideView.h"

#include <QJsonArray>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <numbers>

#include "state/DisplayUnit.h"
#include "views/ColorBar.h"
#include "views/SelectionOutline.h"

namespace ui {

MollweideView::MollweideView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMouseTracking(true);
  setMinimumSize(300, 200);
  connect(session_, &SkySession::currentChanged, this, &MollweideView::changed);
  connect(session_, &SkySession::layersChanged, this, &MollweideView::changed);
  connect(session_, &SkySession::selectionChanged, this, &MollweideView::changed);
  connect(session_, &SkySession::displayedMapsChanged, this, &MollweideView::changed);
  connect(session_, &SkySession::selectionMasksReady, this, &MollweideView::changed);
}

void MollweideView::changed() {
  dirty_ = true;
  update();
}

QRect MollweideView::mapAreaOf(const QRect& bounds) { return bounds.adjusted(8, 28, -8, -48); }

void MollweideView::setGraticuleLabels(bool on) {
  graticuleLabels_ = on;
  update();
}

void MollweideView::resetView() {
  camera_ = {};
  changed();
  emit cameraChanged(camera_);
}

void MollweideView::setCamera(MollweideCamera camera) {
  camera_ = camera;
  changed();
}

void MollweideView::setPinnedLayer(int index) {
  pinned_ = index;
  changed();
}

int MollweideView::shownLayer() const { return pinned_ >= 0 ? pinned_ : session_->currentIndex(); }

void MollweideView::setScaleOverride(std::optional<sky::ColorScale> scale) {
  scaleOverride_ = scale;
  changed();
}

sky::ColorScale MollweideView::scaleFor(const Layer& layer) const {
  return scaleOverride_ ? *scaleOverride_ : session_->colorScaleOf(layer);
}

QImage MollweideView::renderSky(const Layer& l, const sky::MollweideRaster& raster, const sky::ColorScale& scale,
                                bool onScreen) const {
  const auto shown = session_->displayedMap(l);
  const auto values = shown->field(0);
  // On screen the selection shows once its mask is made on the pool; a figure waits for it.
  const auto selectedMask =
      onScreen ? session_->selectionMaskIfReady(shown->nside()) : session_->selectionMaskShared(shown->nside());
  const sky::SkyMask* selected = selectedMask.get();
  const sky::Colormap cmap = sky::Colormap::named(l.colormap.toStdString());
  QImage image(raster.width, raster.height, QImage::Format_ARGB32);
  image.fill(Qt::transparent);
  std::vector<uint8_t> flags(selected ? raster.pixel.size() : 0, 2);
  for (int row = 0; row < raster.height; ++row) {
    auto* line = reinterpret_cast<uint32_t*>(image.scanLine(row));
    for (int col = 0; col < raster.width; ++col) {
      const int64_t p = raster.pixel[static_cast<size_t>(row) * raster.width + col];
      if (p < 0) continue;
      const double v = values[static_cast<size_t>(p)];
      const uint32_t c = sky::isMasked(v) ? sky::kMaskedColor : cmap.color(scale.normalise(v));
      const bool in = !selected || selected->inside[static_cast<size_t>(p)];
      line[col] = in ? c : dimmedColor(c);
      if (selected) flags[static_cast<size_t>(row) * raster.width + col] = in ? 1 : 0;
    }
  }
  if (selected && hasOutline(session_->selection())) outlineSelection(image, flags);
  return image;
}

void MollweideView::paintFigure(QPainter& painter, const QRect& bounds, double rasterScale) {
  painter.fillRect(bounds, Qt::white);
  const Layer* l = session_->layer(shownLayer());
  const QRect area = mapAreaOf(bounds);
  if (!l || !l->map || area.width() < 4 || area.height() < 4) {
    painter.drawText(bounds, Qt::AlignCenter, tr("Open a map (File > Open map) or the demo (File > Open demo)"));
    return;
  }
  const sky::ColorScale scale = scaleFor(*l);
  // The on-screen raster is cached; figures at other sizes get their own.
  const bool onScreen = rasterScale == 1.0 && bounds == rect();
  if (onScreen && dirty_) {
    // The pixel look-up (half a million directions: ~100 ms) is kept while only values change:
    // a new layer, colour map or selection repaints from it.
    const std::array<double, 6> key{static_cast<double>(l->map->nside()),
                                    static_cast<double>(area.width()),
                                    static_cast<double>(area.height()),
                                    camera_.zoom,
                                    camera_.centre.x,
                                    camera_.centre.y};
    if (key != rasterKey_) {
      raster_ = sky::mollweideRaster(l->map->nside(), area.width(), area.height(), camera_.zoom, camera_.centre);
      rasterKey_ = key;
    }
    image_ = renderSky(*l, raster_, scale, true);
    dirty_ = false;
  }
  sky::MollweideRaster figureRaster;
  if (!onScreen) {
    figureRaster = sky::mollweideRaster(l->map->nside(), static_cast<int>(area.width() * rasterScale),
                                        static_cast<int>(area.height() * rasterScale), camera_.zoom, camera_.centre);
  }
  const sky::MollweideRaster& raster = onScreen ? raster_ : figureRaster;
  painter.drawImage(QRectF(area), onScreen ? image_ : renderSky(*l, figureRaster, scale, false));
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setClipRect(area);
  painter.setPen(QPen(QColor(0, 0, 0, 90), 0.8));
  for (const auto& line : sky::mollweideGraticule(30.0, 60.0, 121)) {
    QPainterPath path;
    for (size_t i = 0; i < line.points.size(); ++i) {
      const sky::PlanePoint p = raster.toRaster(line.points[i]);
      const QPointF q(area.left() + p.x / rasterScale, area.top() + p.y / rasterScale);
      if (i == 0)
        path.moveTo(q);
      else
        path.lineTo(q);
    }
    painter.drawPath(path);
  }
  if (graticuleLabels_) {
    // Latitudes just inside the left edge, longitudes (0-360, increasing to the left) under
    // the equator; small grey text that does not hide the sky.
    QFont small = painter.font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    painter.setFont(small);
    painter.setPen(QColor(60, 60, 60));
    const double deg = std::numbers::pi / 180.0;
    auto at = [&](double thetaRad, double phiRad) {
      const sky::PlanePoint p = raster.toRaster(sky::mollweideForward({thetaRad, phiRad}));
      return QPointF(area.left() + p.x / rasterScale, area.top() + p.y / rasterScale);
    };
    // On a pale patch, readable over any map.
    auto label = [&](const QPointF& baseline, const QString& text) {
      const QFontMetricsF fm(painter.font());
      const QRectF box(baseline.x() - 1, baseline.y() - fm.ascent(), fm.horizontalAdvance(text) + 2, fm.height());
      painter.fillRect(box, QColor(255, 255, 255, 180));
      painter.drawText(baseline, text);
    };
    for (const double lat : {-60.0, -30.0, 0.0, 30.0, 60.0})
      label(at((90.0 - lat) * deg, 176.0 * deg) + QPointF(2, -2), QString::fromUtf8("%1\u00b0").arg(lat));
    for (const double lon : {-120.0, -60.0, 0.0, 60.0, 120.0}) {
      label(at(std::numbers::pi / 2, lon * deg) + QPointF(3, painter.fontMetrics().ascent() + 1),
            QString::fromUtf8("%1\u00b0").arg(lon < 0 ? lon + 360.0 : lon));
    }
  }
  painter.restore();
  painter.setPen(Qt::black);
  QFont title = painter.font();
  title.setBold(true);
  painter.save();
  painter.setFont(title);
  QString heading = l->name;
  if (const auto& m = session_->selection().multipoles) {
    // While the band-passed map is being made, the map itself is drawn: say so.
    heading += session_->displayedMap(*l) == l->map ? tr("  (applying band %1 <= l <= %2...)").arg(m->lmin).arg(m->lmax)
                                                    : tr("  (band %1 <= l <= %2)").arg(m->lmin).arg(m->lmax);
  }
  painter.drawText(QRect(bounds.left(), bounds.top() + 4, bounds.width(), 20), Qt::AlignCenter, heading);
  painter.restore();
  const QRect bar(bounds.left() + bounds.width() / 4, bounds.bottom() - 42, bounds.width() / 2, 36);
  const DisplayUnit unit = displayUnitOf(*l);  // K_CMB maps read in uK
  paintColorBar(painter, bar, sky::Colormap::named(l->colormap.toStdString()), unit.toDisplay(scale), unit.label);
}

void MollweideView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paintFigure(painter, rect());
  gesture_.paint(painter);
}

void MollweideView::resizeEvent(QResizeEvent*) { dirty_ = true; }

qint64 MollweideView::pixelAt(QPointF position) const {
  const QRect area = mapAreaOf(rect());
  const double x = position.x() - area.left(), y = position.y() - area.top();
  if (raster_.pixel.empty() || x < 0 || y < 0 || x >= raster_.width || y >= raster_.height) return -1;
  return raster_.pixel[static_cast<size_t>(y) * raster_.width + static_cast<size_t>(x)];
}

std::optional<sky::SkyDirection> MollweideView::directionAt(QPointF position) const {
  if (raster_.pixel.empty()) return std::nullopt;
  const QRect area = mapAreaOf(rect());
  return sky::mollweideInverse(raster_.toPlane(position.x() - area.left(), position.y() - area.top()));
}

ViewMapping MollweideView::mapping() const {
  ViewMapping m;
  m.plane = sky::ProjectionPlane::Mollweide;
  m.toPlane = [this](QPointF p) -> std::optional<sky::PlanePoint> {
    if (raster_.pixel.empty()) return std::nullopt;
    const QRect area = mapAreaOf(rect());
    return raster_.toPlane(p.x() - area.left(), p.y() - area.top());
  };
  m.toSky = [this](QPointF p) { return directionAt(p); };
  return m;
}

void MollweideView::mouseMoveEvent(QMouseEvent* e) {
  if (gesture_.active()) {
    gesture_.move(e->position());
    update();
  } else if (e->buttons() & Qt::LeftButton) {
    const QPointF d = e->position() - dragStart_;
    camera_.centre = {centreAtDrag_.x - d.x() / raster_.scale, centreAtDrag_.y + d.y() / raster_.scale};
    changed();
    emit cameraChanged(camera_);
    return;
  }
  emit pixelHovered(pixelAt(e->position()));
}

void MollweideView::mousePressEvent(QMouseEvent* e) {
  dragStart_ = e->position();
  centreAtDrag_ = camera_.centre;
  if (e->button() == Qt::LeftButton && session_->tool() != SelectionTool::Navigate)
    gesture_.begin(session_->tool(), e->position());
}

void MollweideView::mouseReleaseEvent(QMouseEvent* e) {
  if (!gesture_.active()) return;
  gesture_.move(e->position());
  if (auto region = gesture_.finish(mapping())) session_->addRegion(std::move(*region));
  update();
}

void MollweideView::wheelEvent(QWheelEvent* e) {
  camera_.zoom = std::clamp(camera_.zoom * (e->angleDelta().y() > 0 ? 1.25 : 0.8), 1.0, 64.0);
  if (camera_.zoom == 1.0) camera_.centre = {};
  changed();
  emit cameraChanged(camera_);
}

ViewSpec MollweideView::viewSpec() {
  ViewSpec s;
  s.id = "mollweide";
  s.title = QT_TRANSLATE_NOOP("ui::ViewRegistry", "Mollweide");
  s.create = [](const ViewHost& host, QWidget* parent) -> QWidget* { return new MollweideView(host.session, parent); };
  s.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double scale) {
    static_cast<MollweideView*>(v)->paintFigure(p, r, scale);
  };
  s.saveState = [](const QWidget* v) {
    const auto* view = static_cast<const MollweideView*>(v);
    const MollweideCamera c = view->camera();
    return QJsonObject{{"zoom", c.zoom},
                       {"centre", QJsonArray{c.centre.x, c.centre.y}},
                       {"graticule_labels", view->graticuleLabels()}};
  };
  s.restoreState = [](QWidget* v, const QJsonObject& o, const LayerIndexMap&) {
    const QJsonArray centre = o.value("centre").toArray();
    auto* view = static_cast<MollweideView*>(v);
    view->setCamera({o.value("zoom").toDouble(1.0), {centre.at(0).toDouble(), centre.at(1).toDouble()}});
    view->setGraticuleLabels(o.value("graticule_labels").toBool(true));
  };
  return s;
}

}  // namespace ui
