#include "CollectionPanel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "batch/BatchInputs.h"
#include "util/Error.h"

namespace ui {

namespace {

QString labelText(const std::optional<int>& label) {
  if (!label) return {};
  return *label == 0 ? QObject::tr("LambdaCDM") : *label == 1 ? QObject::tr("feature") : QString::number(*label);
}

}  // namespace

CollectionPanel::CollectionPanel(SkySession* session, ExplainJobs* jobs, QWidget* parent)
    : QWidget(parent), session_(session), jobs_(jobs) {
  auto* layout = new QVBoxLayout(this);
  summary_ = new QLabel(tr("No batch results open (File > Open batch results)."));
  summary_->setWordWrap(true);
  layout->addWidget(summary_);
  table_ = new QTableWidget(0, 5);
  table_->setHorizontalHeaderLabels({tr("Input"), tr("Class"), tr("Status"), tr("Seconds"), tr("Rank")});
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  layout->addWidget(table_, 1);
  auto* buttons = new QHBoxLayout;
  show_ = new QPushButton(tr("Show"));
  show_->setToolTip(tr("Open the selected inputs and their attributions as layers"));
  compare_ = new QPushButton(tr("Compare two"));
  compare_->setToolTip(tr("The attributions of the two selected inputs side by side in the Compare tab"));
  means_ = new QPushButton(tr("Mean maps"));
  means_->setToolTip(
      tr("Mean attribution and mean |attribution| of all results, and per class when the inputs are labelled"));
  for (auto* b : {show_, compare_, means_}) {
    b->setEnabled(false);
    buttons->addWidget(b);
  }
  layout->addLayout(buttons);

  auto guarded = [this](auto action) {
    try {
      action();
    } catch (const sky::SkyError& e) {
      emit errorReported(QString::fromStdString(e.what()));
    }
  };
  connect(show_, &QPushButton::clicked, this, [this, guarded] {
    guarded([this] {
      for (int row : selectedRows()) showEntry(row);
    });
  });
  connect(table_, &QTableWidget::cellDoubleClicked, this,
          [this, guarded](int row, int) { guarded([this, row] { showEntry(row); }); });
  connect(compare_, &QPushButton::clicked, this, [this, guarded] {
    guarded([this] {
      const QList<int> rows = selectedRows();
      if (rows.size() != 2)
        throw sky::SkyError(sky::ErrorKind::InvalidArgument, "select two results to compare (Ctrl+click)");
      compareEntries(rows[0], rows[1]);
    });
  });
  connect(means_, &QPushButton::clicked, this, &CollectionPanel::computeMeans);
  connect(table_, &QTableWidget::itemSelectionChanged, this, [this] {
    const auto n = selectedRows().size();
    show_->setEnabled(n > 0);
    compare_->setEnabled(n == 2);
  });
  connect(jobs_, &ExplainJobs::analysisFinished, this, [this](int id, const AnalysisResult& r) {
    if (id != meansJob_ || !r.collectionMeans) return;
    meansJob_ = -1;
    means_->setEnabled(true);
    const auto& m = *r.collectionMeans;
    const QString method = QString::fromStdString(collection_->settings.method);
    int first = -1;
    for (size_t g = 0; g < m.groups.size(); ++g) {
      const QString group = QString::fromStdString(m.groups[g]);
      auto spectrum = std::make_shared<Layer::SpectrumScatter>();
      spectrum->mean = m.clMean[g];
      spectrum->std = m.clStd[g];
      spectrum->maps = m.counts[g];
      const int a = session_->addComputedMap(tr("mean %1, %2 (%3)").arg(method, group).arg(m.counts[g]), m.mean[g],
                                             m.nside, true, std::move(spectrum));
      session_->addComputedMap(tr("mean |%1|, %2 (%3)").arg(method, group).arg(m.counts[g]), m.meanAbs[g], m.nside,
                               false);
      if (first < 0) first = a;
    }
    session_->setCurrent(first);
    emit meansAdded(first);
  });
  auto ended = [this](int id) {
    if (id != meansJob_) return;
    meansJob_ = -1;
    means_->setEnabled(true);
  };
  connect(jobs_, &ExplainJobs::failed, this, ended);
  connect(jobs_, &ExplainJobs::cancelled, this, ended);
}

void CollectionPanel::open(const QString& directory) {
  collection_ = sky::openBatchCollection(directory.toStdString());
  const auto& c = *collection_;
  QStringList parameters;
  for (const auto& [name, value] : c.settings.parameters)
    parameters << QString("--%1 %2").arg(QString::fromStdString(name), QString::fromStdString(value));
  summary_->setText(tr("<b>%1</b><br>%2 with %3 %4<br>%5 of %6 inputs done%7")
                        .arg(QFileInfo(directory).fileName().toHtmlEscaped(), QString::fromStdString(c.settings.method),
                             QFileInfo(QString::fromStdString(c.settings.model)).fileName().toHtmlEscaped(),
                             parameters.join(' ').toHtmlEscaped())
                        .arg(c.okCount())
                        .arg(c.entries.size())
                        .arg(c.okCount() < c.entries.size() ? tr(", the others failed (see Status)") : QString()));
  table_->setRowCount(static_cast<int>(c.entries.size()));
  for (int row = 0; row < table_->rowCount(); ++row) {
    const auto& e = c.entries[static_cast<size_t>(row)];
    const QStringList cells = {QString::fromStdString(e.record.key), labelText(e.label),
                               QString::fromStdString(e.record.status), QString::number(e.record.seconds, 'f', 2),
                               QString::number(e.record.rank)};
    for (int col = 0; col < cells.size(); ++col) {
      auto* item = new QTableWidgetItem(cells[col]);
      if (!e.record.ok()) item->setToolTip(QString::fromStdString(e.record.error));
      table_->setItem(row, col, item);
    }
  }
  means_->setEnabled(c.okCount() > 0);
}

QList<int> CollectionPanel::selectedRows() const {
  QList<int> rows;
  for (const auto& range : table_->selectedRanges())
    for (int r = range.topRow(); r <= range.bottomRow(); ++r) rows << r;
  std::sort(rows.begin(), rows.end());
  return rows;
}

int CollectionPanel::showEntry(int row) {
  if (!collection_ || row < 0 || row >= static_cast<int>(collection_->entries.size())) return -1;
  const auto& e = collection_->entries[static_cast<size_t>(row)];
  const std::string& key = e.record.key;
  if (!e.record.ok()) throw sky::SkyError(sky::ErrorKind::InvalidData, key + " failed in the batch: " + e.record.error);
  const auto attribution = e.attributionMap();
  if (attribution.empty()) {
    throw sky::SkyError(sky::ErrorKind::InvalidData,
                        key +
                            " has no HEALPix attribution (an image input without --nside): its "
                            "attribution image is " +
                            e.attributionImage().string());
  }
  int source = -1;
  const QString input = QString::fromStdString(e.record.input);
  if (sky::isFitsPath(e.record.input) && QFileInfo::exists(input)) {
    source = session_->layerOfFile(input);
    if (source < 0) source = session_->openMap(input);
  }
  const QString method = QString::fromStdString(e.record.method);
  const int layer =
      session_->openAttributionMap(QString::fromStdString(attribution.string()),
                                   tr("%1 of %2").arg(method, QString::fromStdString(key)), method, source);
  session_->setCurrent(layer);
  return layer;
}

void CollectionPanel::compareEntries(int rowA, int rowB) {
  const int a = showEntry(rowA);
  const int b = showEntry(rowB);
  emit compareRequested(a, b);
}

int CollectionPanel::computeMeans() {
  if (!collection_) return -1;
  const sky::BatchCollection collection = *collection_;
  meansJob_ = jobs_->submitAnalysis([collection](sky::Progress& progress) {
    AnalysisResult r;
    r.kind = "collection-means";
    r.collectionMeans = sky::meanAttributions(collection, progress);
    return r;
  });
  means_->setEnabled(false);
  return meansJob_;
}

}  // namespace ui
