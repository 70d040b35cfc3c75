#include "views/SpectrumView.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QMouseEvent>
#include <QVBoxLayout>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

#include "sky/PowerSpectrum.h"
#include "views/ColorBar.h"

namespace ui {

SpectrumView::SpectrumView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  setMouseTracking(true);
  setMinimumSize(400, 240);
  dlBox_ = new QCheckBox(tr("D_l = l(l+1)C_l/2pi"), this);
  logBox_ = new QCheckBox(tr("log scale"), this);
  dlBox_->setChecked(true);
  logBox_->setChecked(true);
  auto* bar = new QHBoxLayout;
  bar->addStretch();
  bar->addWidget(dlBox_);
  bar->addWidget(logBox_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addStretch();
  connect(dlBox_, &QCheckBox::toggled, this, &SpectrumView::setShowDl);
  connect(logBox_, &QCheckBox::toggled, this, &SpectrumView::setLogarithmic);
  connect(session_, &SkySession::currentChanged, this, [this] { update(); });
  connect(session_, &SkySession::layersChanged, this, [this] { update(); });
}

const std::vector<double>& SpectrumView::spectrumOf(const Layer& layer, bool& fskyCorrected) const {
  auto it = cache_.find(layer.map);
  if (it == cache_.end()) {
    if (cache_.size() > 32) cache_.clear();
    sky::SpectrumOptions o;
    o.polarised = false;
    const sky::PowerSpectrum ps = sky::anafast(*layer.map, o);
    it = cache_.emplace(layer.map, std::make_pair(ps.cl[0], ps.skyFractionCorrected)).first;
  }
  fskyCorrected = it->second.second;
  return it->second.first;
}

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

std::vector<SpectrumView::Curve> SpectrumView::curves() const {
  std::vector<Curve> out;
  const int current = session_->currentIndex();
  const Layer* l = session_->layer(current);
  if (!l) return out;
  const int mapIndex = l->kind == Layer::Kind::Attribution ? l->sourceLayer : current;
  auto add = [&](const Layer& layer, QColor color) {
    bool corrected = false;
    const std::vector<double>& cl = spectrumOf(layer, corrected);
    out.push_back({layer.name + (corrected ? tr(" (pseudo-C_l / fsky)") : QString()), dl_ ? sky::toDl(cl) : cl, color});
  };
  if (const Layer* m = session_->layer(mapIndex)) add(*m, QColor(30, 90, 200));
  for (int i = static_cast<int>(session_->layers().size()) - 1; i >= 0; --i) {
    const Layer& a = session_->layers()[i];
    if (a.kind == Layer::Kind::Attribution && a.sourceLayer == mapIndex) {
      add(a, QColor(200, 60, 40));
      break;
    }
  }
  return out;
}

void SpectrumView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::white);
  const auto cs = curves();
  if (cs.empty()) return;
  const QRect plot = rect().adjusted(70, 36, -20, -40);
  painter.setPen(Qt::black);
  painter.drawRect(plot);
  const int lmax = static_cast<int>(cs[0].values.size()) - 1;
  painter.drawText(QRect(plot.left(), plot.bottom() + 4, plot.width(), 20), Qt::AlignCenter, tr("multipole l"));
  painter.drawText(QRect(plot.left(), plot.bottom() + 4, 40, 20), Qt::AlignLeft, "2");
  painter.drawText(QRect(plot.right() - 40, plot.bottom() + 4, 40, 20), Qt::AlignRight, QString::number(lmax));
  painter.setRenderHint(QPainter::Antialiasing);
  int row = 0;
  for (const auto& c : cs) {
    // Each curve on its own vertical scale (map and attribution differ in units).
    double lo = INFINITY, hi = -INFINITY;
    for (int l = 2; l <= lmax && l < static_cast<int>(c.values.size()); ++l) {
      const double v = log_ ? std::log10(std::max(c.values[l], 1e-300)) : c.values[l];
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (!(hi > lo)) hi = lo + 1;
    QPainterPath path;
    for (int l = 2; l <= lmax && l < static_cast<int>(c.values.size()); ++l) {
      const double v = log_ ? std::log10(std::max(c.values[l], 1e-300)) : c.values[l];
      const QPointF p(plot.left() + (l - 2.0) / std::max(1, lmax - 2) * plot.width(), plot.bottom() - (v - lo) / (hi - lo) * plot.height());
      if (l == 2) path.moveTo(p);
      else path.lineTo(p);
    }
    painter.setPen(QPen(c.color, 1.5));
    painter.drawPath(path);
    if (row == 0) {  // y ticks for the map's curve (the attribution has its own scale)
      painter.setPen(c.color);
      for (int k = 0; k <= 4; ++k) {
        const double v = lo + (hi - lo) * k / 4.0;
        const int y = plot.bottom() - static_cast<int>(plot.height() * k / 4.0);
        painter.drawLine(plot.left() - 4, y, plot.left(), y);
        painter.drawText(QRect(0, y - 8, plot.left() - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                         formatValue(log_ ? std::pow(10.0, v) : v));
      }
    }
    const QString legend = QString("%1 %2").arg(dl_ ? "D_l" : "C_l", c.label) + (row > 0 ? tr(" (own scale)") : QString());
    painter.drawText(plot.left() + 8, plot.top() + 16 + 16 * row, legend);
    ++row;
    if (hoverL_ >= 2 && hoverL_ < static_cast<int>(c.values.size())) {
      painter.drawText(plot.right() - 220, plot.top() + 16 * row, QString("l=%1: %2").arg(hoverL_).arg(formatValue(c.values[hoverL_])));
    }
  }
}

void SpectrumView::mouseMoveEvent(QMouseEvent* e) {
  const QRect plot = rect().adjusted(70, 36, -20, -40);
  const auto cs = curves();
  if (cs.empty() || plot.width() < 2) return;
  const int lmax = static_cast<int>(cs[0].values.size()) - 1;
  hoverL_ = 2 + static_cast<int>(std::lround((e->position().x() - plot.left()) / plot.width() * (lmax - 2)));
  update();
}

}  // namespace ui
