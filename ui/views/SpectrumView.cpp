#include "views/SpectrumView.h"

#include <QCheckBox>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

#include "jobs/PoolRun.h"
#include "sky/PowerSpectrum.h"
#include "state/DisplayUnit.h"
#include "views/ColorBar.h"
#include "views/SkyPlot.h"

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
  readout_ = new QLabel(this);
  plot_ = new SkyPlot(this);
  plot_->setMouseTracking(true);
  auto* bar = new QHBoxLayout;
  bar->addWidget(readout_);
  bar->addStretch();
  bar->addWidget(new QLabel(tr("l max"), this));
  bar->addWidget(lmaxBox_);
  bar->addWidget(new QLabel(tr("iterations"), this));
  bar->addWidget(iterBox_);
  bar->addWidget(dlBox_);
  bar->addWidget(logBox_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(plot_, 1);
  plot_->setToolTip(
      tr("Drag across the plot to select an l-range (the sky views then show that band); click to clear it"));
  connect(dlBox_, &QCheckBox::toggled, this, &SpectrumView::setShowDl);
  connect(logBox_, &QCheckBox::toggled, this, &SpectrumView::setLogarithmic);
  connect(lmaxBox_, &QSpinBox::valueChanged, this, &SpectrumView::scheduleRebuild);
  connect(iterBox_, &QSpinBox::valueChanged, this, &SpectrumView::scheduleRebuild);
  connect(session_, &SkySession::currentChanged, this, &SpectrumView::scheduleRebuild);
  connect(session_, &SkySession::layersChanged, this, &SpectrumView::scheduleRebuild);
  connect(session_, &SkySession::selectionMasksReady, this, &SpectrumView::scheduleRebuild);
  connect(plot_, &QCustomPlot::mousePress, this, &SpectrumView::pressed);
  connect(plot_, &QCustomPlot::mouseMove, this, &SpectrumView::moved);
  connect(plot_, &QCustomPlot::mouseRelease, this, &SpectrumView::released);
  connect(session_, &SkySession::selectionChanged, this, [this] {
    // Region spectra of older selections are no longer wanted.
    std::erase_if(cache_, [this](const auto& kv) {
      const int version = std::get<1>(kv.first);
      return version >= 0 && version != session_->selectionVersion() && kv.second.ready;
    });
    scheduleRebuild();
  });
  scheduleRebuild();
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
  ++started_;
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
    scheduleRebuild();
    if (running_ == 0) emit spectraReady();
  });
  watcher->setFuture(job.future);
  return nullptr;
}

int SpectrumView::effectiveLmax(int setting, int nside) {
  if (setting > 0) return std::min(setting, 3 * nside - 1);
  return sky::automaticLmax(nside);
}

void SpectrumView::setLmax(int lmax) { lmaxBox_->setValue(lmax); }
void SpectrumView::setIterations(int iterations) { iterBox_->setValue(iterations); }
int SpectrumView::lmaxSetting() const { return lmaxBox_->value(); }
int SpectrumView::iterations() const { return iterBox_->value(); }

void SpectrumView::setLogarithmic(bool on) {
  log_ = on;
  logBox_->setChecked(on);
  if (isVisible()) rebuild();
}

void SpectrumView::setShowDl(bool on) {
  dl_ = on;
  dlBox_->setChecked(on);
  if (isVisible()) rebuild();
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
    out.push_back({label,
                   std::move(values),
                   color,
                   inSelection ? Qt::DashLine : Qt::SolidLine,
                   {},
                   {},
                   layer.kind == Layer::Kind::Attribution});
  };
  const Layer* m = session_->layer(mapIndex);
  if (m && m->map) {
    add(*m, QColor(30, 90, 200), false);
    add(*m, QColor(30, 90, 200), true);
  }
  if (const Layer* a = session_->attributionFor(current); a && a->map) {
    add(*a, QColor(200, 60, 40), false);
    if (const auto& scatter = a->spectrumScatter; scatter && !scatter->mean.empty()) {
      // The batch's own spectra: their mean and one standard deviation either side.
      const auto toShown = [&](std::vector<double> cl) { return dl_ ? sky::toDl(cl) : cl; };
      std::vector<double> lower(scatter->mean.size()), upper(scatter->mean.size());
      for (size_t k = 0; k < lower.size(); ++k) {
        const double spread = std::isnan(scatter->std[k]) ? 0.0 : scatter->std[k];
        lower[k] = scatter->mean[k] - spread;
        upper[k] = scatter->mean[k] + spread;
      }
      out.push_back({tr("mean over the %1 maps' own spectra, +/- 1 sigma").arg(scatter->maps), toShown(scatter->mean),
                     QColor(120, 40, 160), Qt::SolidLine, toShown(lower), toShown(upper), true});
    }
  }
  return out;
}

QWidget* SpectrumView::plotWidget() const { return plot_; }

QRect SpectrumView::plotRect() const { return plot_->axisRect()->rect(); }

int SpectrumView::multipoleAt(double x) const {
  if (lmaxShown_ < 2) return -1;
  return std::clamp(static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(x))), 2, lmaxShown_);
}

// "D_l [uK^2]": the quantity and the unit a curve's label carries ("... [uK^2]").
QString SpectrumView::axisTitle(const Curve& c, bool mapAxis) const {
  const QString quantity = dl_ ? QStringLiteral("D_l = l(l+1)C_l/2pi") : QStringLiteral("C_l");
  const qsizetype open = c.label.lastIndexOf(" [");
  const QString unit = open >= 0 && c.label.endsWith(']') ? c.label.mid(open + 1) : QString();
  return mapAxis ? quantity + (unit.isEmpty() ? QString() : " " + unit) : tr("attribution %1").arg(quantity);
}

void SpectrumView::scheduleRebuild() {
  // A hidden tab computes nothing (spectra cost seconds to minutes at high nside): it is
  // rebuilt when shown.
  if (!isVisible() || rebuildPending_) return;
  rebuildPending_ = true;
  QTimer::singleShot(0, this, [this] {
    if (rebuildPending_) rebuild();
  });
}

void SpectrumView::showEvent(QShowEvent* e) {
  QWidget::showEvent(e);
  scheduleRebuild();
}

void SpectrumView::rebuild() {
  rebuildPending_ = false;
  plot_->clearAll();
  const auto cs = curves();
  lmaxShown_ = cs.empty() ? -1 : static_cast<int>(cs[0].values.size()) - 1;
  if (cs.empty()) {
    const bool any = session_->layer(session_->currentIndex()) != nullptr;
    plot_->setMessage(!any                                ? QString()
                      : computing() || failure_.isEmpty() ? tr("computing the spectrum...")
                                                          : tr("no spectrum: %1").arg(failure_));
    plot_->replot();
    return;
  }
  const int lmax = lmaxShown_;
  plot_->xAxis->setLabel(tr("multipole l"));
  plot_->xAxis->setRange(2, lmax);
  SkyPlot::setScale(plot_->yAxis, log_);
  SkyPlot::setScale(plot_->yAxis2, log_);
  // The map's curves read on the left axis, attribution curves on their own right axis (on
  // the left when no map is shown).
  const bool anyMap = std::any_of(cs.begin(), cs.end(), [](const Curve& c) { return !c.attribution; });
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  bool labelled[2] = {false, false};
  for (const auto& c : cs) {
    const bool mapCurve = !c.attribution || !anyMap;
    QCPAxis* axis = mapCurve ? plot_->yAxis : plot_->yAxis2;
    const int side = mapCurve ? 0 : 1;
    QVector<double> x, y;
    for (int l = 2; l <= lmax && l < static_cast<int>(c.values.size()); ++l) {
      const double v = c.values[static_cast<size_t>(l)];
      if (!std::isfinite(v) || (log_ && v <= 0)) continue;  // a log axis cannot show it
      x << l;
      y << v;
      lo[side] = std::min(lo[side], v);
      hi[side] = std::max(hi[side], v);
    }
    const QString name =
        QString("%1 %2").arg(dl_ ? "D_l" : "C_l", c.label) + (mapCurve ? QString() : tr(" (right axis)"));
    if (!c.lower.empty()) {
      // The scatter band under the line, shaded between its lower and upper edges.
      QVector<double> bx, below, above;
      for (int l = 2; l <= lmax && l < static_cast<int>(c.upper.size()); ++l) {
        const double top = c.upper[static_cast<size_t>(l)];
        if (!std::isfinite(top) || (log_ && top <= 0)) continue;
        const double bottom = log_ ? std::max(c.lower[static_cast<size_t>(l)], 1e-3 * c.values[static_cast<size_t>(l)])
                                   : c.lower[static_cast<size_t>(l)];
        bx << l;
        below << bottom;
        above << top;
        lo[side] = std::min(lo[side], bottom);
        hi[side] = std::max(hi[side], top);
      }
      QCPGraph* edge = plot_->addLine(bx, below, Qt::NoPen, QString(), axis);
      QCPGraph* band = plot_->addLine(bx, above, Qt::NoPen, QString(), axis);
      QColor fill = c.color;
      fill.setAlpha(50);
      band->setBrush(fill);
      band->setChannelFillGraph(edge);
      edge->removeFromLegend();
      band->removeFromLegend();
    }
    plot_->addLine(x, y, QPen(c.color, 1.5, c.style), name, axis);
    if (!labelled[side]) {
      labelled[side] = true;
      axis->setVisible(true);
      axis->setTickLabels(true);
      axis->setLabel(axisTitle(c, !c.attribution));
      axis->setLabelColor(c.color);
      axis->setTickLabelColor(c.color);
    }
  }
  SkyPlot::fitAxis(plot_->yAxis, lo[0], hi[0]);
  SkyPlot::fitAxis(plot_->yAxis2, lo[1], hi[1]);
  // The l-range of the selection (or the one being brushed), shaded.
  int bandLo = -1, bandHi = -1;
  if (brushStart_ >= 0 && brushEnd_ >= 0) {
    bandLo = std::min(brushStart_, brushEnd_);
    bandHi = std::max(brushStart_, brushEnd_);
  } else if (const auto& m = session_->selection().multipoles) {
    bandLo = m->lmin;
    bandHi = m->lmax;
  }
  if (bandLo >= 0) {
    auto* band = new QCPItemRect(plot_);
    band->setClipToAxisRect(true);
    band->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band->topLeft->setCoords(bandLo, 0);
    band->bottomRight->setCoords(bandHi, 1);
    band->setPen(Qt::NoPen);
    band->setBrush(QColor(255, 200, 0, 70));
    band->setLayer("background");
    plot_->xAxis->setLabel(tr("multipole l (selected %1 <= l <= %2)").arg(bandLo).arg(bandHi));
  }
  plot_->replot();
}

void SpectrumView::paintFigure(QPainter& painter, const QRect& bounds) {
  rebuild();
  plot_->paintFigure(painter, bounds);
}

void SpectrumView::pressed(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton || !plotRect().contains(e->position().toPoint())) return;
  brushStart_ = brushEnd_ = multipoleAt(e->position().x());
}

void SpectrumView::moved(QMouseEvent* e) {
  const int l = multipoleAt(e->position().x());
  QStringList values;
  for (const auto& c : curves()) {
    if (l >= 2 && l < static_cast<int>(c.values.size()))
      values << QString("<span style='color:%1'>%2</span>").arg(c.color.name(), formatValue(c.values[l]));
  }
  readout_->setText(l >= 2 && plotRect().contains(e->position().toPoint())
                        ? QString("l = %1: %2").arg(l).arg(values.join(", "))
                        : QString());
  if (brushStart_ >= 0) {
    brushEnd_ = l;
    rebuild();
  }
}

void SpectrumView::released(QMouseEvent* e) {
  if (brushStart_ < 0) return;
  brushEnd_ = multipoleAt(e->position().x());
  const int lo = std::min(brushStart_, brushEnd_), hi = std::max(brushStart_, brushEnd_);
  brushStart_ = brushEnd_ = -1;
  if (hi - lo < 1)
    session_->setMultipoles(std::nullopt);  // a click clears the l-range
  else
    session_->setMultipoles(sky::MultipoleRange{lo, hi});
  rebuild();
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
