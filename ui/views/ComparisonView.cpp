#include "views/ComparisonView.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>
#include <cmath>

#include "jobs/PoolRun.h"
#include "util/Error.h"
#include "views/ColorBar.h"
#include "views/MollweideView.h"
#include "views/SpectrumView.h"

namespace ui {

namespace {
QString number(double v) { return std::isnan(v) ? QStringLiteral("n/a") : QString::number(v, 'f', 3); }
}  // namespace

ComparisonView::ComparisonView(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  count_ = new QSpinBox(this);
  count_->setRange(2, 4);
  count_->setValue(2);
  count_->setPrefix(tr("panels: "));
  linkCameras_ = new QCheckBox(tr("link cameras"), this);
  linkCameras_->setChecked(true);
  linkCameras_->setToolTip(tr("Zoom and pan every panel together"));
  commonScale_ = new QCheckBox(tr("common colour scale"), this);
  commonScale_->setToolTip(
      tr("One colour range for all panels (the widest of theirs), so colours compare across panels"));
  auto* difference = new QPushButton(tr("Add difference layer (1 - 2)"), this);
  difference->setToolTip(tr("A new layer: panel 1's layer minus panel 2's, pixel by pixel"));
  auto* bar = new QHBoxLayout;
  bar->addWidget(count_);
  bar->addWidget(linkCameras_);
  bar->addWidget(commonScale_);
  bar->addStretch();
  bar->addWidget(difference);
  grid_ = new QGridLayout;
  table_ = new QTableWidget(0, 6, this);
  table_->setHorizontalHeaderLabels(
      {tr("panels"), tr("pixels"), tr("Pearson"), tr("Spearman"), tr("top-5% Jaccard"), tr("same sign")});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setMaximumHeight(100);
  table_->verticalHeader()->setDefaultSectionSize(22);
  bands_ = new QLabel(this);
  bands_->setWordWrap(true);
  QFont small = bands_->font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  bands_->setFont(small);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addLayout(grid_, 1);
  layout->addWidget(table_);
  layout->addWidget(bands_);
  connect(count_, &QSpinBox::valueChanged, this, &ComparisonView::rebuildPanels);
  connect(linkCameras_, &QCheckBox::toggled, this, [this](bool on) {
    if (on && !panels_.empty())
      for (auto* p : panels_) p->setCamera(panels_[0]->camera());
  });
  connect(commonScale_, &QCheckBox::toggled, this, &ComparisonView::applyScales);
  connect(difference, &QPushButton::clicked, this, &ComparisonView::addDifferenceLayer);
  connect(session_, &SkySession::layersChanged, this, [this] {
    refreshChoices();
    applyScales();
    recompute();
  });
  connect(session_, &SkySession::selectionChanged, this, &ComparisonView::recompute);
  connect(session_, &SkySession::selectionMasksReady, this, [this] {
    if (stale_ && !job_ && isVisible()) computeMetrics();
  });
  rebuildPanels();
}

void ComparisonView::setPanelCount(int count) { count_->setValue(count); }
void ComparisonView::setLinkCameras(bool on) { linkCameras_->setChecked(on); }
void ComparisonView::setCommonScale(bool on) { commonScale_->setChecked(on); }
bool ComparisonView::linkCameras() const { return linkCameras_->isChecked(); }
bool ComparisonView::commonScale() const { return commonScale_->isChecked(); }
int ComparisonView::panelLayer(int panel) const { return panels_.at(static_cast<size_t>(panel))->shownLayer(); }

void ComparisonView::setPanelLayer(int panel, int layerIndex) {
  choices_.at(static_cast<size_t>(panel))->setCurrentIndex(layerIndex);  // as the user picking it
}

void ComparisonView::rebuildPanels() {
  std::vector<int> previous;
  for (auto* p : panels_) previous.push_back(p->pinnedLayer());
  chosen_.resize(static_cast<size_t>(count_->value()), false);
  for (auto* c : choices_) {
    QWidget* cell = c->parentWidget();
    grid_->removeWidget(cell);
    cell->hide();
    cell->deleteLater();
  }
  choices_.clear();
  panels_.clear();
  const int n = count_->value();
  for (int k = 0; k < n; ++k) {
    auto* cell = new QWidget(this);
    auto* box = new QVBoxLayout(cell);
    box->setContentsMargins(0, 0, 0, 0);
    auto* choice = new QComboBox(cell);
    choice->setToolTip(tr("The layer this panel shows"));
    auto* view = new MollweideView(session_, cell);
    view->setMinimumSize(200, 140);
    box->addWidget(choice);
    box->addWidget(view, 1);
    grid_->addWidget(cell, k / 2, k % 2);
    cell->show();  // now, not on the next event-loop turn (figures may be drawn at once)
    choices_.push_back(choice);
    panels_.push_back(view);
    view->setPinnedLayer(k < static_cast<int>(previous.size()) ? previous[static_cast<size_t>(k)] : -1);
    connect(choice, &QComboBox::currentIndexChanged, this, [this, view, k](int index) {
      if (updating_) return;
      chosen_[static_cast<size_t>(k)] = true;
      view->setPinnedLayer(index);
      applyScales();
      recompute();
    });
    // The camera link: a pan or zoom in one panel moves the others.
    connect(view, &MollweideView::cameraChanged, this, [this, view](MollweideCamera camera) {
      if (!linkCameras_->isChecked()) return;
      for (auto* other : panels_)
        if (other != view) other->setCamera(camera);
    });
    if (linkCameras_->isChecked() && k > 0) view->setCamera(panels_[0]->camera());
  }
  refreshChoices();
  applyScales();
  recompute();
}

void ComparisonView::refreshChoices() {
  updating_ = true;
  const auto& layers = session_->layers();
  // Unassigned panels take attributions first (comparing explanations is the point), then maps.
  std::vector<int> preferred;
  for (int i = 0; i < static_cast<int>(layers.size()); ++i)
    if (layers[static_cast<size_t>(i)].kind == Layer::Kind::Attribution) preferred.push_back(i);
  for (int i = 0; i < static_cast<int>(layers.size()); ++i)
    if (layers[static_cast<size_t>(i)].kind == Layer::Kind::Map) preferred.push_back(i);
  size_t next = 0;
  for (size_t k = 0; k < panels_.size(); ++k) {
    QComboBox* c = choices_[k];
    c->clear();
    for (const auto& l : layers) c->addItem(l.name);
    int shown = panels_[k]->pinnedLayer();
    if (!chosen_[k] || shown < 0 || shown >= static_cast<int>(layers.size())) {
      shown = next < preferred.size() ? preferred[next] : -1;
    }
    ++next;
    panels_[k]->setPinnedLayer(shown);
    c->setCurrentIndex(shown);
  }
  updating_ = false;
}

void ComparisonView::applyScales() {
  if (!commonScale_->isChecked()) {
    for (auto* p : panels_) p->setScaleOverride(std::nullopt);
    return;
  }
  // The widest range of the panels' own scales (symmetric if any of them is).
  double lo = INFINITY, hi = -INFINITY;
  bool symmetric = false;
  for (auto* p : panels_) {
    const Layer* l = session_->layer(p->shownLayer());
    if (!l) continue;
    const sky::ColorScale s = session_->colorScaleOf(*l);
    lo = std::min(lo, s.min);
    hi = std::max(hi, s.max);
    symmetric = symmetric || l->symmetric;
  }
  if (!(hi > lo)) return;
  if (symmetric) {
    hi = std::max(std::abs(lo), std::abs(hi));
    lo = -hi;
  }
  for (auto* p : panels_) p->setScaleOverride(sky::ColorScale{lo, hi});
}

void ComparisonView::recompute() {
  stale_ = true;
  ++generation_;  // a comparison still running is no longer wanted
  job_.reset();
  if (isVisible()) computeMetrics();
}

void ComparisonView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_ && !job_) computeMetrics();
}

const std::vector<std::optional<sky::AttributionComparison>>& ComparisonView::metrics() {
  if (stale_ && !job_) computeMetrics(/*maskNow=*/true);
  if (job_) {
    job_->future.waitForFinished();  // asked for now (an export, a script): wait for the worker
    applyMetrics(generation_, job_->take());
  }
  return metrics_;
}

// Everything the worker needs, copied or shared here; the comparisons (a sort and three
// spectra per pair: seconds to minutes at nside 2048) run on the pool. The selection's mask is
// the session's, made once for every view: until it is, this waits for selectionMasksReady
// (or, with maskNow, makes it here).
void ComparisonView::computeMetrics(bool maskNow) {
  const Layer* first = panels_.empty() ? nullptr : session_->layer(panels_[0]->shownLayer());
  std::shared_ptr<const sky::SkyMask> mask;
  if (first && first->map && session_->selection().hasRegion()) {
    const int nside = first->map->nside();
    mask = maskNow ? session_->selectionMaskShared(nside) : session_->selectionMaskIfReady(nside);
    if (!mask) {
      showComputing();
      return;  // still stale_
    }
  }
  stale_ = false;
  const int generation = ++generation_;
  std::vector<std::shared_ptr<const sky::SkyMap>> others;
  MetricsResult blank;
  for (size_t k = 1; k < panels_.size(); ++k) {
    const Layer* other = session_->layer(panels_[k]->shownLayer());
    QString why;
    if (!first || !other || !first->map || !other->map)
      why = tr("choose two layers");
    else if (first->map->nside() != other->map->nside())
      why = tr("different nside");
    others.push_back(why.isEmpty() ? other->map : nullptr);
    blank.why.push_back(why);
  }
  blank.metrics.assign(others.size(), std::nullopt);
  if (!first || !first->map) {
    applyMetrics(generation, std::move(blank));
    return;
  }
  showComputing();
  sky::ComparisonOptions o;
  o.lmax = SpectrumView::effectiveLmax(0, first->map->nside());
  auto* watcher = new QFutureWatcher<void>(this);
  job_ = runOnPool(computePool(), [map = first->map, others, o, mask, out = blank]() mutable {
    try {
      for (size_t k = 0; k < others.size(); ++k) {
        if (!others[k]) continue;
        try {
          out.metrics[k] = sky::compareAttributions(*map, *others[k], o, mask.get());
        } catch (const sky::SkyError& e) {
          out.why[k] = QString::fromStdString(e.what());
        }
      }
    } catch (const std::exception& e) {  // e.g. out of memory: said in the table, never thrown at the GUI
      for (auto& why : out.why) why = QString::fromStdString(e.what());
    }
    out.lmax = o.lmax;
    return out;
  });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, generation, job = *job_] {
    watcher->deleteLater();
    if (generation == generation_ && job_) applyMetrics(generation, job.take());
  });
  watcher->setFuture(job_->future);
}

void ComparisonView::showComputing() {
  table_->setRowCount(static_cast<int>(panels_.size() > 1 ? panels_.size() - 1 : 0));
  for (int row = 0; row < table_->rowCount(); ++row) {
    table_->setItem(row, 0, new QTableWidgetItem(tr("%1 vs 1").arg(row + 2)));
    table_->setItem(row, 1, new QTableWidgetItem(tr("computing...")));
    for (int c = 2; c < 6; ++c) table_->setItem(row, c, new QTableWidgetItem(QString()));
  }
  bands_->setText(tr("<i>computing the comparison...</i>"));
}

void ComparisonView::applyMetrics(int generation, MetricsResult result) {
  if (generation != generation_) return;
  job_.reset();
  metrics_ = std::move(result.metrics);
  table_->setRowCount(static_cast<int>(metrics_.size()));
  QString bandText;
  for (size_t k = 0; k < metrics_.size(); ++k) {
    const int row = static_cast<int>(k);
    table_->setItem(row, 0, new QTableWidgetItem(tr("%1 vs 1").arg(k + 2)));
    if (!metrics_[k]) {
      table_->setItem(row, 1, new QTableWidgetItem(result.why[k]));
      for (int c = 2; c < 6; ++c) table_->setItem(row, c, new QTableWidgetItem(QString()));
      continue;
    }
    const auto& m = *metrics_[k];
    const QString cells[5] = {QString::number(m.pixels), number(m.pearson), number(m.spearman), number(m.topOverlap),
                              number(m.signAgreement)};
    for (int c = 0; c < 5; ++c) table_->setItem(row, c + 1, new QTableWidgetItem(cells[c]));
    QStringList bands;
    for (const auto& b : m.bands) bands << QString("%1-%2: %3").arg(b.lmin).arg(b.lmax).arg(number(b.r));
    bandText += tr("<b>%1 vs 1</b>, spectral correlation per l-band (full sky, l <= %2): %3<br>")
                    .arg(k + 2)
                    .arg(result.lmax)
                    .arg(bands.join(", "));
  }
  emit metricsComputed();
  const bool inside = session_->selection().hasRegion();
  bands_->setText(bandText + (inside ? tr("<i>pixel metrics inside the selection</i>")
                                     : tr("<i>pixel metrics over the whole sky</i>")));
}

int ComparisonView::addDifferenceLayer() {
  if (panels_.size() < 2) return -1;
  try {
    return session_->addDifference(panels_[0]->shownLayer(), panels_[1]->shownLayer());
  } catch (const sky::SkyError& e) {
    emit errorReported(tr("panels 1 and 2: %1").arg(QString::fromStdString(e.what())));
    return -1;
  }
}

void ComparisonView::paintFigure(QPainter& painter, const QRect& bounds, double rasterScale) {
  metrics();  // up to date before it is drawn
  painter.fillRect(bounds, Qt::white);
  const int n = static_cast<int>(panels_.size());
  const int cols = n > 1 ? 2 : 1, rows = (n + 1) / 2;
  const int textHeight = 22 * std::max(1, n - 1) + 8;
  const int cellW = bounds.width() / cols, cellH = (bounds.height() - textHeight) / rows;
  for (int k = 0; k < n; ++k) {
    const QRect cell(bounds.left() + (k % 2) * cellW, bounds.top() + (k / 2) * cellH, cellW, cellH);
    panels_[static_cast<size_t>(k)]->paintFigure(painter, cell, rasterScale);
  }
  painter.setPen(Qt::black);
  int y = bounds.top() + rows * cellH + 16;
  for (size_t k = 0; k < metrics_.size(); ++k, y += 22) {
    if (!metrics_[k]) continue;
    const auto& m = *metrics_[k];
    painter.drawText(bounds.left() + 12, y,
                     tr("panel %1 vs 1: Pearson %2, Spearman %3, top-5% overlap %4, sign agreement %5 (%6 pixels)")
                         .arg(k + 2)
                         .arg(number(m.pearson), number(m.spearman), number(m.topOverlap), number(m.signAgreement))
                         .arg(m.pixels));
  }
}

ViewSpec ComparisonView::viewSpec() {
  ViewSpec s;
  s.id = "comparison";
  s.title = QT_TRANSLATE_NOOP("ui::ViewRegistry", "Compare");
  s.create = [](const ViewHost& host, QWidget* parent) -> QWidget* { return new ComparisonView(host.session, parent); };
  s.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double scale) {
    static_cast<ComparisonView*>(v)->paintFigure(p, r, scale);
  };
  s.computing = [](const QWidget* v) { return static_cast<const ComparisonView*>(v)->computing(); };
  s.saveState = [](const QWidget* v) {
    const auto* view = static_cast<const ComparisonView*>(v);
    QJsonArray panels;
    for (size_t k = 0; k < view->panels().size(); ++k) panels.append(view->panelLayer(static_cast<int>(k)));
    return QJsonObject{
        {"panels", panels}, {"link_cameras", view->linkCameras()}, {"common_scale", view->commonScale()}};
  };
  s.restoreState = [](QWidget* v, const QJsonObject& o, const LayerIndexMap& layers) {
    auto* view = static_cast<ComparisonView*>(v);
    const QJsonArray panels = o.value("panels").toArray();
    if (panels.size() >= 2) view->setPanelCount(static_cast<int>(std::min<qsizetype>(4, panels.size())));
    for (qsizetype k = 0; k < panels.size() && k < 4; ++k) {
      const int layer = layers(panels.at(k).toInt(-1));
      if (layer >= 0) view->setPanelLayer(static_cast<int>(k), layer);
    }
    view->setLinkCameras(o.value("link_cameras").toBool(true));
    view->setCommonScale(o.value("common_scale").toBool(false));
  };
  return s;
}

}  // namespace ui
