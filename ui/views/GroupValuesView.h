#pragma once
// Which scales, channels, regions does the model use? Exact Shapley values of a few feature
// groups of the current map (explain/GroupShapley.h: its channels, multipole bands or the 12
// base regions) as a bar chart, computed on the model's worker; or Owen values of sky pixels
// on the HEALPix tree (explain/HealpixPartition.h), which arrive as a layer. The bars are
// linked to the sky views: clicking a band selects its l-range, a region selects its pixels,
// a channel shows that channel's layer.
#include <QWidget>
#include <optional>

#include "explain/GroupShapley.h"
#include "jobs/ExplainJobs.h"
#include "state/SkySession.h"
#include "views/ViewRegistry.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QMouseEvent;
class QSpinBox;
class QCPTextElement;

namespace ui {

class AnalysisJobControl;
class SkyPlot;

class GroupValuesView : public QWidget {
  Q_OBJECT
 public:
  static ViewSpec viewSpec();
  GroupValuesView(SkySession* session, ExplainJobs* jobs, QWidget* parent = nullptr);

  // players: "channels", "bands", "regions" (exact Shapley values), or "tree" (Owen values on
  // the HEALPix tree, a layer). Runs on the current map; returns the job id or -1 (error reported).
  int run(const QString& players);
  void setBandEdges(const QString& edges);  // "2,20,40,..."
  void setTree(int nside, int maxEvals);
  void setOutput(int output);  // which model output the bars show
  const std::optional<sky::GroupShapley>& values() const { return values_; }
  // A click on bar g, as the mouse does.
  void activateBar(int g);
  void paintFigure(QPainter& painter, const QRect& bounds);

 signals:
  void errorReported(QString message);
  void resultShown();

 private:
  void show(const AnalysisResult& result);
  void rebuildPlot();
  void clicked(QMouseEvent* e);
  SkySession* session_;
  ExplainJobs* jobs_;
  QComboBox* players_;
  QLineEdit* edges_;
  QSpinBox *treeNside_, *maxEvals_, *output_;
  AnalysisJobControl* control_;
  QLabel* status_;
  SkyPlot* plot_;
  QCPTextElement* title_;
  int sourceLayer_ = -1;  // the map layer the values explain
  std::optional<sky::GroupShapley> values_;
};

}  // namespace ui
