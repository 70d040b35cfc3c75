#include "panels/SelectionPanel.h"

#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>
#include <cmath>
#include <map>

#include "io/HealpixFits.h"
#include "jobs/PoolRun.h"
#include "jobs/RunResponsive.h"
#include "state/DisplayUnit.h"
#include "util/Error.h"
#include "views/ColorBar.h"
#include "views/HistogramView.h"

namespace ui {

QString describeSelection(const sky::Selection& s) {
  QStringList parts;
  for (const auto& step : s.steps()) {
    QString what = std::visit(
        [](const auto& r) -> QString {
          using R = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<R, sky::DiscRegion>)
            return QObject::tr("disc r=%1 deg").arg(r.radius * 180 / M_PI, 0, 'f', 1);
          else if constexpr (std::is_same_v<R, sky::PolygonRegion>)
            return QObject::tr("polygon (%1 vertices)").arg(r.vertices.size());
          else if constexpr (std::is_same_v<R, sky::ValueRangeRegion>)
            return QObject::tr("%1%2 in [%3, %4]")
                .arg(r.absolute ? "|" : "", QString::fromStdString(r.layer).left(20) + (r.absolute ? "|" : ""),
                     formatValue(r.lo), formatValue(r.hi));
          else if constexpr (std::is_same_v<R, sky::PixelSetRegion>)
            return QObject::tr("mask %1").arg(QString::fromStdString(r.source));
          else
            return QObject::tr("all sky");
        },
        step.region);
    parts << (parts.isEmpty() ? what : QString("%1 %2").arg(sky::selectionModeName(step.mode), what));
  }
  if (s.multipoles) parts << QObject::tr("l in [%1, %2]").arg(s.multipoles->lmin).arg(s.multipoles->lmax);
  if (parts.isEmpty()) return QObject::tr("nothing selected: pick a selection tool in the toolbar and drag on a view");
  return (s.name.empty() ? QString() : QString::fromStdString(s.name) + ": ") + parts.join("; ");
}

SelectionPanel::SelectionPanel(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  description_ = new QLabel(this);
  description_->setWordWrap(true);
  table_ = new QTableWidget(6, 2, this);
  table_->setHorizontalHeaderLabels({tr("inside"), tr("outside")});
  table_->setVerticalHeaderLabels({tr("pixels"), tr("sky fraction"), tr("mean attribution"), tr("total attribution"),
                                   tr("share of |attribution|"), tr("mean map value")});
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setMinimumHeight(200);
  histogram_ = new HistogramView(session_, this);
  topPercent_ = new QDoubleSpinBox(this);
  topPercent_->setRange(0.1, 100);
  topPercent_->setValue(5);
  topPercent_->setSuffix(" %");
  topPercent_->setToolTip(tr("Share of the unmasked pixels with the largest |attribution|"));
  auto* top = new QPushButton(tr("Select top |attribution|"), this);
  auto* invert = new QPushButton(tr("Invert"), this);
  auto* clear = new QPushButton(tr("Clear"), this);
  name_ = new QLineEdit(this);
  name_->setPlaceholderText(tr("name for this selection"));
  auto* save = new QPushButton(tr("Keep"), this);
  save->setToolTip(tr("Keep the selection under this name (double-click a kept one to bring it back)"));
  saved_ = new QListWidget(this);
  saved_->setMaximumHeight(80);
  auto* exportMask = new QPushButton(tr("Export mask..."), this);
  exportMask->setToolTip(tr("Write the selection as a HEALPix mask (1 inside, 0 outside) at the map's nside"));
  auto* loadMask = new QPushButton(tr("Load mask..."), this);
  loadMask->setToolTip(tr("Read a HEALPix mask (values > 0.5 are inside) into the selection with the current mode"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(description_);
  layout->addWidget(table_);
  layout->addWidget(histogram_);
  auto* topRow = new QHBoxLayout;
  topRow->addWidget(topPercent_);
  topRow->addWidget(top);
  layout->addLayout(topRow);
  auto* editRow = new QHBoxLayout;
  editRow->addWidget(invert);
  editRow->addWidget(clear);
  layout->addLayout(editRow);
  auto* nameRow = new QHBoxLayout;
  nameRow->addWidget(name_);
  nameRow->addWidget(save);
  layout->addLayout(nameRow);
  layout->addWidget(saved_);
  auto* fileRow = new QHBoxLayout;
  fileRow->addWidget(exportMask);
  fileRow->addWidget(loadMask);
  layout->addLayout(fileRow);
  layout->addStretch();

  auto guarded = [this](auto&& action) {
    try {
      action();
    } catch (const sky::SkyError& e) {
      emit errorReported(QString::fromStdString(e.what()));
    }
  };
  connect(top, &QPushButton::clicked, this,
          [this, guarded] { guarded([this] { selectTopFraction(topPercent_->value() / 100.0); }); });
  connect(invert, &QPushButton::clicked, this, [this] { session_->setSelection(session_->selection().inverted()); });
  connect(clear, &QPushButton::clicked, this, [this] { session_->setSelection({}); });
  connect(save, &QPushButton::clicked, this, [this, guarded] {
    const QString name = name_->text().trimmed().isEmpty()
                             ? tr("selection %1").arg(session_->savedSelections().size() + 1)
                             : name_->text().trimmed();
    guarded([&] { session_->saveSelection(name); });
  });
  connect(saved_, &QListWidget::itemDoubleClicked, this,
          [this](QListWidgetItem* item) { session_->restoreSelection(saved_->row(item)); });
  connect(exportMask, &QPushButton::clicked, this, [this, guarded] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the selection as a HEALPix mask"),
                                                      "selection_mask.fits", tr("HEALPix FITS (*.fits)"));
    if (!path.isEmpty()) guarded([&] { this->exportMask(path); });
  });
  connect(loadMask, &QPushButton::clicked, this, [this, guarded] {
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Load a HEALPix mask"), {}, tr("HEALPix FITS (*.fits *.fit)"));
    if (!path.isEmpty()) guarded([&] { this->loadMask(path); });
  });
  connect(session_, &SkySession::selectionChanged, this, &SelectionPanel::refresh);
  connect(session_, &SkySession::selectionMasksReady, this, &SelectionPanel::refresh);
  connect(session_, &SkySession::currentChanged, this, &SelectionPanel::refresh);
  connect(session_, &SkySession::layersChanged, this, &SelectionPanel::refresh);
  connect(session_, &SkySession::savedSelectionsChanged, this, &SelectionPanel::refreshSaved);
  refresh();
}

void SelectionPanel::selectTopFraction(double fraction) {
  const Layer* a = session_->attributionFor(session_->currentIndex());
  if (!a)
    throw sky::SkyError(sky::ErrorKind::InvalidArgument,
                        "the current map has no attribution yet: run an explainer first");
  if (!(fraction > 0.0 && fraction <= 1.0))
    throw sky::SkyError(sky::ErrorKind::InvalidArgument, "the top fraction must be in (0, 1]");
  // The threshold is a partial sort of every pixel: on the pool; the region is added when found.
  ++topRequests_;
  auto* watcher = new QFutureWatcher<void>(this);
  const auto job = runOnPool(computePool(), [map = a->map, name = a->name.toStdString(), fraction] {
    return sky::topFractionRegion(map, name, fraction, true);
  });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, job] {
    watcher->deleteLater();
    --topRequests_;
    try {
      session_->addRegion(job.take());
    } catch (const std::exception& e) {
      emit errorReported(QString::fromStdString(e.what()));
    }
  });
  watcher->setFuture(job.future);
}

void SelectionPanel::exportMask(const QString& path) const {
  const Layer* l = session_->layer(session_->currentIndex());
  if (!l || !l->map) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "open a map first: the mask takes its nside");
  const sky::SkyMask* mask = session_->selectionMask(l->map->nside());
  if (!mask) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "nothing is selected to export");
  sky::FitsWriteOptions o;
  o.overwrite = sky::Overwrite::Allow;  // the file dialog has asked already
  runResponsive([inside = *mask, o, file = path.toStdString()] {
    sky::writeHealpixFits(sky::maskToMap(inside), file, o);
    return true;
  });
}

void SelectionPanel::loadMask(const QString& path) {
  auto region = runResponsive([file = path.toStdString(), name = QFileInfo(path).fileName().toStdString()] {
    return sky::pixelSetFromMap(sky::readHealpixFits(file), name);
  });
  session_->addRegion(std::move(region));
}

void SelectionPanel::refresh() {
  description_->setText(describeSelection(session_->selection()));
  const int current = session_->currentIndex();
  const Layer* m = session_->layer(session_->sourceMapOf(current));
  const Layer* a = session_->attributionFor(current);
  histogram_->setLayer(a ? a : session_->layer(current));
  table_->clearContents();
  const int generation = ++generation_;
  computing_ = false;
  if (!session_->selection().hasRegion() || (!m && !a)) return;
  computing_ = true;
  mapUnit_ = m ? displayUnitOf(*m) : DisplayUnit{};
  table_->setItem(0, 0, new QTableWidgetItem(tr("computing...")));
  // The session's masks, made once on the pool for every view: until they are, this waits
  // (selectionMasksReady calls refresh again).
  std::map<int, std::shared_ptr<const sky::SkyMask>> masks;
  for (const Layer* l : {m, a}) {
    if (!l || !l->map) continue;
    masks[l->map->nside()] = session_->selectionMaskIfReady(l->map->nside());
    if (!masks[l->map->nside()]) return;
  }
  auto* watcher = new QFutureWatcher<void>(this);
  const auto job = runOnPool(computePool(), [map = m ? m->map : nullptr, attribution = a ? a->map : nullptr, masks] {
    return sky::summariseSelection([&](int nside) -> const sky::SkyMask& { return *masks.at(nside); }, map.get(),
                                   attribution.get());
  });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, job, generation] {
    watcher->deleteLater();
    if (generation != generation_) return;  // a newer refresh is running
    computing_ = false;
    try {
      summary_ = job.take();
    } catch (const std::exception& e) {
      table_->clearContents();
      emit errorReported(QString::fromStdString(e.what()));
      return;
    }
    showSummary();
    emit summaryReady();
  });
  watcher->setFuture(job.future);
}

void SelectionPanel::showSummary() {
  const sky::RegionSummary* parts[2] = {&summary_.inside, &summary_.outside};
  for (int c = 0; c < 2; ++c) {
    const sky::RegionSummary& s = *parts[c];
    const QString cells[6] = {
        QString::number(s.pixels),
        QString::number(s.skyFraction, 'f', 4),
        formatValue(s.meanAttribution),
        formatValue(s.totalAttribution),
        std::isnan(s.absShare) ? QString("nan") : QString::number(100 * s.absShare, 'f', 1) + " %",
        QString("%1 %2").arg(formatValue(mapUnit_.toDisplay(s.meanMap)), mapUnit_.label)};
    for (int r = 0; r < 6; ++r) table_->setItem(r, c, new QTableWidgetItem(cells[r]));
  }
}

void SelectionPanel::refreshSaved() {
  saved_->clear();
  for (const auto& s : session_->savedSelections()) saved_->addItem(QString::fromStdString(s.name));
}

}  // namespace ui
