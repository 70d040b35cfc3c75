#pragma once
// The selection panel: what the shared selection holds (pixels, sky fraction, attribution and
// map statistics inside and outside), a histogram to brush value ranges, top-k% of
// |attribution|, invert/clear, named selections, and HEALPix mask files (save and load).
#include <QWidget>

#include "analysis/RegionStatistics.h"
#include "state/DisplayUnit.h"
#include "state/SkySession.h"

class QTableWidget;
class QLabel;
class QListWidget;
class QLineEdit;
class QDoubleSpinBox;

namespace ui {

class HistogramView;

class SelectionPanel : public QWidget {
  Q_OBJECT
 public:
  explicit SelectionPanel(SkySession* session, QWidget* parent = nullptr);
  // Throw sky::SkyError naming the file and the problem.
  void exportMask(const QString& path) const;  // at the current map's nside
  void loadMask(const QString& path);          // combined with the current mode
  // The top `fraction` of |attribution| of the current map, found on the pool and then combined
  // with the selection in the current mode (computing() until then).
  void selectTopFraction(double fraction);
  // Inside/outside statistics, computed on the thread pool after each change (every pixel is
  // read); summaryReady() when done.
  const sky::SelectionSummary& summary() const { return summary_; }
  bool computing() const { return computing_ || topRequests_ > 0; }
  QTableWidget* table() const { return table_; }
  HistogramView* histogram() const { return histogram_; }

 signals:
  void errorReported(QString message);
  void summaryReady();

 private:
  void refresh();
  void showSummary();
  void refreshSaved();
  SkySession* session_;
  QLabel* description_;
  QTableWidget* table_;
  HistogramView* histogram_;
  QDoubleSpinBox* topPercent_;
  QLineEdit* name_;
  QListWidget* saved_;
  sky::SelectionSummary summary_;
  DisplayUnit mapUnit_;  // of the map the statistics are of
  int generation_ = 0;
  bool computing_ = false;
  int topRequests_ = 0;
};

QString describeSelection(const sky::Selection& selection);

}  // namespace ui
