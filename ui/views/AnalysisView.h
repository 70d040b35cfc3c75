#pragma once
// Which scales and structures the model uses, from the desktop: runs a scale or spot ablation
// over the open maps, a sensitivity test, or the faithfulness curves, trust metrics
// (infidelity, sensitivity-max, ROAD, sparseness, complexity) or sanity check (cascading
// randomisation) of the current attribution, on the model's worker thread, and plots the result. The plot is linked to
// the sky views: clicking a point of a scale curve selects that l-range (the sky views show the filtered map), a spot
// threshold selects those spots, a band selects the band; a region sensitivity arrives as a layer like any other.
#include <QWidget>
#include <optional>

#include "jobs/ExplainJobs.h"
#include "state/SkySession.h"
#include "views/ViewRegistry.h"

class QComboBox;
class QLineEdit;
class QSpinBox;
class QLabel;
class QMouseEvent;
class QCPTextElement;

namespace ui {

class AnalysisJobControl;
class SkyPlot;

class AnalysisView : public QWidget {
  Q_OBJECT
 public:
  // Its entry in the view registry (views/ViewRegistry.h): id, title, figure, session state.
  static ViewSpec viewSpec();
  // The plot of the shown result as a figure (title: the analysis).
  void paintFigure(QPainter& painter, const QRect& bounds);
  AnalysisView(SkySession* session, ExplainJobs* jobs, QWidget* parent = nullptr);
  // kind: lowpass, highpass, remove-band, mask-hot, mask-cold, keep-hot, keep-cold,
  // sensitivity-bands, sensitivity-regions, faithfulness, metrics, sanity. Returns the job id or
  // -1 (error reported).
  int run(const QString& kind);
  void setGrid(const QString& grid);
  void setRepeats(int repeats);
  const std::optional<AnalysisResult>& result() const { return result_; }
  // The plotted points (x, y of the first series) and a click on point k, as the mouse does.
  std::vector<QPointF> points() const;
  void activatePoint(int k);

 signals:
  void errorReported(QString message);
  void resultShown();

 private:
  struct Series {
    QString label;
    std::vector<QPointF> points;
    QColor color;
  };
  std::vector<Series> series() const;
  // The plot (views/SkyPlot.h) made anew from series().
  void rebuildPlot();
  void clicked(QMouseEvent* e);
  void show(const AnalysisResult& result);
  SkySession* session_;
  ExplainJobs* jobs_;
  QComboBox* kind_;
  QLineEdit* grid_;
  QSpinBox* repeats_;
  QSpinBox* regionNside_;
  AnalysisJobControl* control_;
  QLabel* status_;
  SkyPlot* plot_;
  QCPTextElement* title_;
  std::optional<AnalysisResult> result_;
  std::shared_ptr<const sky::SkyMap> spotMap_;  // the map a spot curve's clicks select on
};

}  // namespace ui
