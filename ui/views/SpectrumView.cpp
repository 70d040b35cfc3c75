#include "views/SpectrumView.h"

#include <QCheckBox>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

#include "jobs/PoolRun.h"
#include "sky/PowerSpectrum.h"
#include "state/DisplayUnit.h"
#include "views/ColorBar.h"
#include "views/PlotAxes.h"

namespace ui {

SpectrumView::SpectrumView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMouseTracking(true);
  setMinimumSize(300, 200);
  dlBox_ = new QCheckBox(tr("D_l = l(l+1)C_l/2pi"), this);
  logBox_ = new QCheckBox(tr("log scale"), this);
  dlBox_->setChecked(true);
  logBox_->setChecked(true);
  lmaxBox_ = new QSpinBox(this);
  lmaxBox_->setRange(0, 3 * 8192 - 1);
  lmaxBox_->setSpecialValueText(tr("auto"));
  lmaxBox_->setToolTip(
      tr("Highest multipole of the spectra (anafast lmax, at most 3 nside - 1); auto is healpy's 3 nside - 1 "
         "up to nside 512 and 2 nside above, where the rest costs minutes"));
  iterBox_ = new QSpinBox(this);
  iterBox_->setRange(0, 10);
  iterBox_->setValue(3);
  iterBox_->setToolTip(tr("Jacobi iterations of the a_lm analysis (healpy's iter; 3 by default, 0 is fastest)"));
  auto* bar = new QHBoxLayout;
  bar->addStretch();
  bar->addWidget(new QLabel(tr("l max"), this));
  bar->addWidget(lmaxBox_);
  bar->addWidget(new QLabel(tr("iterations"), this));
  bar->addWidget(iterBox_);
  bar->addWidget(dlBox_);
  bar->addWidget(logBox_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addStretch();
  setToolTip(tr("Drag across the plot to select an l-range (the sky views then show that band); click to clear it"));
  connect(dlBox_, &QCheckBox::toggled, this, &SpectrumView::setShowDl);
  connect(logBox_, &QCheckBox::toggled, this, &SpectrumView::setLogarithmic);
  connect(lmaxBox_, &QSpinBox::valueChanged, this, [this] { update(); });
  connect(iterBox_, &QSpinBox::valueChanged, this, [this] { update(); });
  connect(session_, &SkySession::currentChanged, this, [this] { update(); });
  connect(session_, &SkySession::layersChanged, this, [this] { update(); });
  connect(session_, &SkySession::selectionMasksReady, this, [this] { update(); });
  connect(session_, &SkySession::selectionChanged, this, [this] {
    // Region spectra of older selections are no longer wanted.
    std::erase_if(cache_, [this](const auto& kv) {
      const int version = std::get<1>(kv.first);
      return version >= 0 && version != session_->selectionVersion() && kv.second.ready;
    });
    update();
  });
}

const SpectrumView::Entry* SpectrumView::spectrum(const std::shared_ptr<const sky::SkyMap>& map, bool inSelection) {
  const auto mask = inSelection ? session_->selectionMaskIfReady(map->nside()) : nullptr;  // update() again when made
  if (inSelection && !mask) return nullptr;
  const int lmax = effectiveLmax(lmaxBox_->value(), map->nside()), iterations = iterBox_->value();
  const auto key = std::make_tuple(map.get(), inSelection ? session_->selectionVersion() : -1, lmax, iterations);
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second.ready ? &it->second : nullptr;
  if (cache_.size() > 64) std::erase_if(cache_, [](const auto& kv) { return kv.second.ready; });
  cache_[key].map = map;
  ++running_;
  // anafast runs on the global pool; the result comes back to the GUI thread.
  std::vector<uint8_t> inside = mask ? mask->inside : std::vector<uint8_t>{};
  auto* watcher = new QFutureWatcher<void>(this);
  const auto job = runOnPool(computePool(), [map, inside = std::move(inside), lmax, iterations] {
    sky::SpectrumOptions o;
    o.polarised = false;
    o.lmax = lmax;
    o.iterations = iterations;
    std::vector<double> v(map->field(0).begin(), map->field(0).end());
    for (size_t p = 0; p < inside.size(); ++p)
      if (!inside[p]) v[p] = sky::kUnseen;
    const sky::SkyMap field0(map->nside(), sky::Ordering::Ring, std::vector<std::vector<double>>{std::move(v)});
    const sky::PowerSpectrum ps = sky::anafast(field0, o);
    return std::make_pair(ps.cl[0], ps.skyFractionCorrected);
  });
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, key, job] {
    watcher->deleteLater();
    --running_;
    std::pair<std::vector<double>, bool> result;
    try {
      result = job.take();
    } catch (const std::exception& e) {  // e.g. out of memory: no curve, and the reason in the plot
      failure_ = QString::fromStdString(e.what());
    }
    auto found = cache_.find(key);
    if (found != cache_.end()) {
      found->second.cl = std::move(result.first);
      found->second.corrected = result.second;
      found->second.ready = true;
    }
    update();
    if (running_ == 0) emit spectraReady();
  });
  watcher->setFuture(job.future);
  return nullptr;
}

int SpectrumView::effectiveLmax(int setting, int nside) {
  const int most = 3 * nside - 1;
  if (setting > 0) return std::min(setting, most);
  return nside <= 512 ? most : 2 * nside;  // healpy's default where it is cheap
}

void SpectrumView::setLmax(int lmax) { lmaxBox_->setValue(lmax); }
void SpectrumView::setIterations(int iterations) { iterBox_->setValue(iterations); }
int SpectrumView::lmaxSetting() const { return lmaxBox_->value(); }
int SpectrumView::iterations() const { return iterBox_->value(); }

void SpectrumView::setLogarithmic(bool on) {
  log_ = on;
  logBox_->setChecked(on);
  update();
}

void SpectrumView::setShowDl(bool on) {
  dl_ = on;
  dlBox_->setChecked(on);
  update();
}

std::vector<SpectrumView::Curve> SpectrumView::curves() {
  std::vector<Curve> out;
  const int current = session_->currentIndex();
  const Layer* l = session_->layer(current);
  if (!l) return out;
  const int mapIndex = l->kind == Layer::Kind::Attribution ? l->sourceLayer : current;
  auto add = [&](const Layer& layer, QColor color, bool inSelection) {
    const Entry* e = spectrum(layer.map, inSelection);
    if (!e || e->cl.empty()) return;  // being computed, or failed (failure_ says why)
    QString label = layer.name;
    if (inSelection)
      label += tr(" - selected region (pseudo-C_l / fsky)");
    else if (e->corrected)
      label += tr(" (pseudo-C_l / fsky)");
    // C_l in the unit the maps are shown in, squared (uK^2 for K_CMB maps).
    const DisplayUnit unit = displayUnitOf(layer);
    if (layer.kind == Layer::Kind::Map && !unit.label.isEmpty()) label += QString(" [%1^2]").arg(unit.label);
    std::vector<double> values = dl_ ? sky::toDl(e->cl) : e->cl;
    for (double& v : values) v *= unit.factor * unit.factor;
    out.push_back({label, std::move(values), color, inSelection ? Qt::DashLine : Qt::SolidLine});
  };
  const Layer* m = session_->layer(mapIndex);
  if (m && m->map) {
    add(*m, QColor(30, 90, 200), false);
    add(*m, QColor(30, 90, 200), true);
  }
  if (const Layer* a = session_->attributionFor(current); a && a->map) add(*a, QColor(200, 60, 40), false);
  return out;
}

int SpectrumView::multipoleAt(double x) {
  const QRect plot = plotRect(rect());
  const auto cs = curves();
  if (cs.empty() || plot.width() < 2) return -1;
  const int lmax = static_cast<int>(cs[0].values.size()) - 1;
  return std::clamp(2 + static_cast<int>(std::lround((x - plot.left()) / plot.width() * (lmax - 2))), 2, lmax);
}

// "D_l [uK^2]": the quantity and the unit a curve's label carries ("... [uK^2]").
QString SpectrumView::axisTitle(const Curve& c, bool mapAxis) const {
  const QString quantity = dl_ ? QStringLiteral("D_l = l(l+1)C_l/2pi") : QStringLiteral("C_l");
  const qsizetype open = c.label.lastIndexOf(" [");
  const QString unit = open >= 0 && c.label.endsWith(']') ? c.label.mid(open + 1) : QString();
  return mapAxis ? quantity + (unit.isEmpty() ? QString() : " " + unit) : tr("attribution %1").arg(quantity);
}

void SpectrumView::paintFigure(QPainter& painter, const QRect& bounds) {
  painter.fillRect(bounds, Qt::white);
  const auto cs = curves();
  if (cs.empty()) {
    if (session_->layer(session_->currentIndex())) {
      painter.drawText(
          bounds, Qt::AlignCenter,
          computing() || failure_.isEmpty() ? tr("computing the spectrum...") : tr("no spectrum: %1").arg(failure_));
    }
    return;
  }
  const QRect plot = plotRect(bounds);
  const int lmax = static_cast<int>(cs[0].values.size()) - 1;
  auto xOf = [&](double l) { return plot.left() + (l - 2.0) / std::max(1, lmax - 2) * plot.width(); };
  // The l-range of the selection (or the one being brushed), shaded.
  int lo = -1, hi = -1;
  if (brushStart_ >= 0 && brushEnd_ >= 0) {
    lo = std::min(brushStart_, brushEnd_);
    hi = std::max(brushStart_, brushEnd_);
  } else if (const auto& m = session_->selection().multipoles) {
    lo = m->lmin;
    hi = m->lmax;
  }
  if (lo >= 0)
    painter.fillRect(QRectF(QPointF(xOf(lo), plot.top()), QPointF(xOf(hi), plot.bottom())), QColor(255, 200, 0, 70));
  painter.setPen(Qt::black);
  painter.drawRect(plot);
  drawBottomAxis(painter, plot, 2, lmax, tr("multipole l"));
  if (lo >= 0)
    painter.drawText(QRect(plot.left(), plot.top() - 18, plot.width(), 16), Qt::AlignRight,
                     tr("selected %1 <= l <= %2").arg(lo).arg(hi));
  painter.setRenderHint(QPainter::Antialiasing);
  // The map's full-sky curve sets the scale of the map's curves; the attribution has its own.
  double mapLo = INFINITY, mapHi = -INFINITY;
  int row = 0;
  bool rightAxisDrawn = false;
  for (const auto& c : cs) {
    double cLo = INFINITY, cHi = -INFINITY;
    for (int l = 2; l <= lmax && l < static_cast<int>(c.values.size()); ++l) {
      const double v = log_ ? std::log10(std::max(c.values[l], 1e-300)) : c.values[l];
      cLo = std::min(cLo, v);
      cHi = std::max(cHi, v);
    }
    const bool mapCurve = c.color == cs[0].color;
    if (mapCurve) {
      mapLo = std::min(mapLo, cLo);
      mapHi = std::max(mapHi, cHi);
    }
  }
  for (const auto& c : cs) {
    const bool mapCurve = c.color == cs[0].color;
    double vLo = mapLo, vHi = mapHi;
    if (!mapCurve) {
      vLo = INFINITY;
      vHi = -INFINITY;
      for (int l = 2; l <= lmax && l < static_cast<int>(c.values.size()); ++l) {
        const double v = log_ ? std::log10(std::max(c.values[l], 1e-300)) : c.values[l];
        vLo = std::min(vLo, v);
        vHi = std::max(vHi, v);
      }
    }
    if (!(vHi > vLo)) vHi = vLo + 1;
    QPainterPath path;
    for (int l = 2; l <= lmax && l < static_cast<int>(c.values.size()); ++l) {
      const double v = log_ ? std::log10(std::max(c.values[l], 1e-300)) : c.values[l];
      const QPointF p(xOf(l), plot.bottom() - (v - vLo) / (vHi - vLo) * plot.height());
      if (l == 2)
        path.moveTo(p);
      else
        path.lineTo(p);
    }
    painter.setPen(QPen(c.color, 1.5, c.style));
    painter.drawPath(path);
    // The map's curves read on the left axis, an attribution curve on its own right axis.
    if (row == 0 || !mapCurve) {
      const bool left = row == 0;
      if (left || !rightAxisDrawn) {
        painter.setPen(c.color);
        drawSideAxis(painter, plot, vLo, vHi, left, log_, axisTitle(c, left));
        rightAxisDrawn = rightAxisDrawn || !left;
      }
    }
    painter.setPen(QPen(c.color, 1.5, c.style));
    const int ly = plot.top() + 14 + 16 * row;
    painter.drawLine(plot.left() + 8, ly - 4, plot.left() + 28, ly - 4);
    painter.setPen(c.color);
    const QString legend =
        QString("%1 %2").arg(dl_ ? "D_l" : "C_l", c.label) + (mapCurve ? QString() : tr(" (right axis)"));
    painter.drawText(plot.left() + 34, ly, legend);
    ++row;
    if (hoverL_ >= 2 && hoverL_ < static_cast<int>(c.values.size())) {
      painter.drawText(QRect(plot.right() - 230, ly - 12, 222, 16), Qt::AlignRight,
                       QString("l=%1: %2").arg(hoverL_).arg(formatValue(c.values[hoverL_])));
    }
  }
}

void SpectrumView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paintFigure(painter, rect());
}

void SpectrumView::mousePressEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton || !plotRect(rect()).contains(e->position().toPoint())) return;
  brushStart_ = brushEnd_ = multipoleAt(e->position().x());
}

void SpectrumView::mouseMoveEvent(QMouseEvent* e) {
  hoverL_ = multipoleAt(e->position().x());
  if (brushStart_ >= 0) brushEnd_ = hoverL_;
  update();
}

void SpectrumView::mouseReleaseEvent(QMouseEvent* e) {
  if (brushStart_ < 0) return;
  brushEnd_ = multipoleAt(e->position().x());
  const int lo = std::min(brushStart_, brushEnd_), hi = std::max(brushStart_, brushEnd_);
  brushStart_ = brushEnd_ = -1;
  if (hi - lo < 1)
    session_->setMultipoles(std::nullopt);  // a click clears the l-range
  else
    session_->setMultipoles(sky::MultipoleRange{lo, hi});
  update();
}

ViewSpec SpectrumView::viewSpec() {
  ViewSpec s;
  s.id = "spectrum";
  s.title = QT_TRANSLATE_NOOP("ui::ViewRegistry", "Spectrum");
  s.create = [](const ViewHost& host, QWidget* parent) -> QWidget* { return new SpectrumView(host.session, parent); };
  s.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double) {
    static_cast<SpectrumView*>(v)->paintFigure(p, r);
  };
  // A figure shows the spectra, not "computing": wait for them (seconds at most at high nside).
  s.prepareFigure = [](QWidget* v) {
    auto* view = static_cast<SpectrumView*>(v);
    view->curves();
    if (!view->computing()) return;
    QEventLoop loop;
    QObject::connect(view, &SpectrumView::spectraReady, &loop, &QEventLoop::quit);
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    loop.exec();
  };
  s.computing = [](const QWidget* v) { return static_cast<const SpectrumView*>(v)->computing(); };
  s.saveState = [](const QWidget* v) {
    const auto* view = static_cast<const SpectrumView*>(v);
    return QJsonObject{{"dl", view->showsDl()},
                       {"log", view->logarithmic()},
                       {"lmax", view->lmaxSetting()},
                       {"iter", view->iterations()}};
  };
  s.restoreState = [](QWidget* v, const QJsonObject& o, const LayerIndexMap&) {
    auto* view = static_cast<SpectrumView*>(v);
    view->setShowDl(o.value("dl").toBool(true));
    view->setLogarithmic(o.value("log").toBool(true));
    view->setLmax(o.value("lmax").toInt(0));
    view->setIterations(o.value("iter").toInt(3));
  };
  return s;
}

}  // namespace ui
