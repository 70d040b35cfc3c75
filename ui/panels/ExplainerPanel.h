#pragma once
// Explainer settings (every method of the engine, with the shap/Captum defaults), Run and
// Cancel, and the progress of the running job (rows done, ETA).
#include <QWidget>

#include "jobs/ExplainJobs.h"

class QComboBox;
class QSpinBox;
class QProgressBar;
class QPushButton;
class QLabel;
class QLineEdit;

namespace ui {

class ExplainerPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ExplainerPanel(QWidget* parent = nullptr);
  // The request as the widgets describe it (model, input and layer are filled by the window).
  ExplainRequest request() const;
  void setMethod(const QString& method);
  void setMaxEvals(int evals);
  void setOcclusion(int window, int stride);
  void showProgress(double fraction, qlonglong rows, qlonglong total, double eta);
  void showIdle(const QString& message, const QString& detail = {});  // detail: the tooltip
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }

 signals:
  void runRequested();
  void cancelRequested();

 private:
  QComboBox* method_;
  QSpinBox *maxEvals_, *batch_, *steps_, *samples_, *target_, *window_, *stride_, *baselines_;
  QLineEdit* masker_;
  QProgressBar* progress_;
  QPushButton *run_, *cancel_;
  QLabel* status_;
};

}  // namespace ui
