#pragma once
// The Run and Cancel buttons and the status line of a view that submits analysis jobs: it
// follows its one job on the model's worker (progress with ETA, failure, cancellation) and
// hands the result back through finished().
#include <QObject>
#include <QString>

#include "jobs/AnalysisResult.h"

class QLabel;
class QPushButton;
class QWidget;

namespace ui {

class ExplainJobs;

class AnalysisJobControl : public QObject {
  Q_OBJECT
 public:
  AnalysisJobControl(ExplainJobs* jobs, const QString& idleText, QWidget* parent);
  QPushButton* runButton() const { return run_; }
  QPushButton* cancelButton() const { return cancel_; }
  QLabel* status() const { return status_; }
  // Queues `task` on the model's worker; returns the job id.
  int submit(AnalysisTask task);

 signals:
  void finished(const ui::AnalysisResult& result);

 private:
  void ended(int id, const QString& why);
  ExplainJobs* jobs_;
  QPushButton *run_, *cancel_;
  QLabel* status_;
  int job_ = -1;
};

}  // namespace ui
