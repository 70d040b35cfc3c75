#pragma once
// Side by side: two to four Mollweide panels, each pinned to a layer (methods, classes,
// channels, maps), with optional links: one camera for all, one colour scale for all; the
// shared selection shows in every panel. Below, how each panel's layer compares with the
// first one (Pearson, Spearman, top-k% overlap, sign agreement, correlation per l-band;
// inside the selection when there is one), and a button that adds the difference layer.
#include <QWidget>
#include <optional>
#include <vector>

#include "analysis/AttributionComparison.h"
#include "jobs/PoolRun.h"
#include "state/SkySession.h"
#include "views/ViewRegistry.h"

class QComboBox;
class QCheckBox;
class QSpinBox;
class QTableWidget;
class QGridLayout;
class QLabel;

namespace ui {

class MollweideView;

class ComparisonView : public QWidget {
  Q_OBJECT
 public:
  // Its entry in the view registry (views/ViewRegistry.h): id, title, figure, session state.
  static ViewSpec viewSpec();
  explicit ComparisonView(SkySession* session, QWidget* parent = nullptr);
  void setPanelCount(int count);  // 2..4
  void setPanelLayer(int panel, int layerIndex);
  int panelLayer(int panel) const;
  void setLinkCameras(bool on);
  void setCommonScale(bool on);
  bool linkCameras() const;
  bool commonScale() const;
  int addDifferenceLayer();  // layer of panel 1 minus layer of panel 2; returns its index or -1
  const std::vector<MollweideView*>& panels() const { return panels_; }
  // Panel k (k >= 1) against panel 0; empty optional when they cannot be compared. Computed on
  // the thread pool when the tab is shown (the table says "computing..." meanwhile), or when
  // asked here while hidden (exports, tests: this then waits for the worker). A change of
  // layers or selection never costs anything while the tab is not visible.
  const std::vector<std::optional<sky::AttributionComparison>>& metrics();
  // A comparison running, or (shown and stale) waiting for the selection's mask.
  bool computing() const { return job_.has_value() || (stale_ && isVisible()); }
  QTableWidget* metricsTable() const { return table_; }
  void paintFigure(QPainter& painter, const QRect& bounds, double rasterScale = 1.0);

 protected:
  void showEvent(QShowEvent* event) override;

 signals:
  void errorReported(QString message);
  void metricsComputed();  // after each computation of the metrics

 private:
  void rebuildPanels();
  void refreshChoices();
  void applyScales();
  void recompute();  // now when visible, else when next shown or asked (metrics_ is stale)
  struct MetricsResult {
    std::vector<std::optional<sky::AttributionComparison>> metrics;
    std::vector<QString> why;  // why a pair was not compared
    int lmax = 0;              // of the band correlations
  };
  void computeMetrics(bool maskNow = false);  // starts the worker
  void showComputing();
  void applyMetrics(int generation, MetricsResult result);
  SkySession* session_;
  QSpinBox* count_;
  QCheckBox* linkCameras_;
  QCheckBox* commonScale_;
  QGridLayout* grid_;
  std::vector<QComboBox*> choices_;
  std::vector<MollweideView*> panels_;
  std::vector<bool> chosen_;  // the user picked this panel's layer: keep it
  QTableWidget* table_;
  QLabel* bands_;
  std::vector<std::optional<sky::AttributionComparison>> metrics_;
  bool updating_ = false;
  bool stale_ = true;
  int generation_ = 0;                         // of the newest computation asked for
  std::optional<PoolJob<MetricsResult>> job_;  // the one running for generation_
};

}  // namespace ui
