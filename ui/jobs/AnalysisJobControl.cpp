#include "jobs/AnalysisJobControl.h"

#include <QLabel>
#include <QPushButton>

#include "jobs/ExplainJobs.h"

namespace ui {

AnalysisJobControl::AnalysisJobControl(ExplainJobs* jobs, const QString& idleText, QWidget* parent)
    : QObject(parent), jobs_(jobs) {
  run_ = new QPushButton(tr("Run"), parent);
  cancel_ = new QPushButton(tr("Cancel"), parent);
  cancel_->setEnabled(false);
  status_ = new QLabel(idleText, parent);
  status_->setWordWrap(true);
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (job_ >= 0) jobs_->cancel(job_);
  });
  connect(jobs_, &ExplainJobs::progress, this, [this](int id, double f, qlonglong, qlonglong, double eta) {
    if (id == job_)
      status_->setText(tr("running: %1%%2")
                           .arg(static_cast<int>(f * 100))
                           .arg(eta >= 0 ? tr(", ETA %1 s").arg(eta, 0, 'f', 0) : QString()));
  });
  connect(jobs_, &ExplainJobs::analysisFinished, this, [this](int id, const AnalysisResult& r) {
    if (id != job_) return;
    job_ = -1;
    cancel_->setEnabled(false);
    emit finished(r);
  });
  connect(jobs_, &ExplainJobs::failed, this,
          [this](int id, const QString& message) { ended(id, tr("failed: %1").arg(message)); });
  connect(jobs_, &ExplainJobs::cancelled, this, [this](int id) { ended(id, tr("cancelled")); });
}

int AnalysisJobControl::submit(AnalysisTask task) {
  job_ = jobs_->submitAnalysis(std::move(task));
  cancel_->setEnabled(true);
  status_->setText(tr("queued"));
  return job_;
}

void AnalysisJobControl::ended(int id, const QString& why) {
  if (id != job_) return;
  job_ = -1;
  cancel_->setEnabled(false);
  status_->setText(why);
}

}  // namespace ui
