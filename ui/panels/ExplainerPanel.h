#pragma once
// Explainer settings, Run and Cancel, and the progress of the running job (rows done, ETA).
// The form is made from the explainer registry (explain/ExplainerRegistry.h): one page of
// widgets per method, one widget per parameter, with the registry's defaults, ranges and help.
#include <QWidget>
#include <map>

#include "jobs/ExplainJobs.h"

class QComboBox;
class QProgressBar;
class QPushButton;
class QLabel;
class QStackedWidget;

namespace ui {

class ExplainerPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ExplainerPanel(QWidget* parent = nullptr);
  // The request as the widgets describe it (model, input and layer are filled by the window).
  ExplainRequest request() const;
  void setMethod(const QString& method);
  // Sets a parameter of the current method (registry name and text value, as on the CLI).
  void setParameter(const QString& name, const QString& value);
  void setMaxEvals(int evals) { setParameter("max-evals", QString::number(evals)); }
  // Square patches of `window` pixels over every channel, `stride` apart.
  void setOcclusion(int window, int stride);
  // The widget editing `parameter` of `method`, or null.
  QWidget* parameterWidget(const QString& method, const QString& parameter) const;
  void showProgress(double fraction, qlonglong rows, qlonglong total, double eta);
  void showIdle(const QString& message, const QString& detail = {});  // detail: the tooltip
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }

 signals:
  void runRequested();
  void cancelRequested();

 private:
  QComboBox* method_;
  QStackedWidget* pages_;
  std::map<std::pair<QString, QString>, QWidget*> widgets_;  // (method, parameter) -> editor
  QProgressBar* progress_;
  QPushButton *run_, *cancel_;
  QLabel* status_;
};

}  // namespace ui
