#pragma once
// The results of a `skyinterpret-cli batch` run as a collection: one row per input (label,
// status, time, rank), opened as layers on demand, two compared side by side, and the mean
// attribution maps of all results (per class when the inputs are a labelled dataset).
#include <QWidget>
#include <optional>

#include "batch/BatchCollection.h"
#include "jobs/ExplainJobs.h"
#include "state/SkySession.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace ui {

class CollectionPanel : public QWidget {
  Q_OBJECT
 public:
  CollectionPanel(SkySession* session, ExplainJobs* jobs, QWidget* parent = nullptr);
  // Throws sky::SkyError when the directory is not a batch output.
  void open(const QString& directory);
  const std::optional<sky::BatchCollection>& collection() const { return collection_; }
  QTableWidget* table() const { return table_; }

  // Opens the input map (when it is a FITS file) and the attribution of entry `row` as layers;
  // returns the attribution layer. Throws sky::SkyError naming the entry.
  int showEntry(int row);
  // Two entries side by side in the comparison tab.
  void compareEntries(int rowA, int rowB);
  // Queues the mean maps on the job worker; returns the job id, or -1 (error reported).
  int computeMeans();

 signals:
  void errorReported(QString message);
  void compareRequested(int layerA, int layerB);
  void meansAdded(int firstLayer);

 private:
  QList<int> selectedRows() const;
  SkySession* session_;
  ExplainJobs* jobs_;
  std::optional<sky::BatchCollection> collection_;
  QLabel* summary_;
  QTableWidget* table_;
  QPushButton* show_;
  QPushButton* compare_;
  QPushButton* means_;
  int meansJob_ = -1;
};

}  // namespace ui
