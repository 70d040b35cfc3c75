#include "jobs/ExplainJobs.h"

#include <QFutureWatcher>

#include "jobs/PoolRun.h"
#include "sky/Reprojection.h"
#include "util/Error.h"

namespace ui {

QVariantMap ExplainRequest::parameters() const {
  QVariantMap p{{"method", method}, {"nside", nside}};
  // Every parameter with its default filled in, so a saved run says exactly what ran.
  const sky::ExplainerArguments resolved(sky::findExplainer(method.toStdString()), settings);
  for (const auto& [name, value] : resolved.values()) p[QString::fromStdString(name)] = QString::fromStdString(value);
  return p;
}

ExplainRequest ExplainRequest::fromParameters(const QVariantMap& p) {
  ExplainRequest r;
  r.method = p.value("method", r.method).toString();
  r.nside = p.value("nside", r.nside).toInt();
  std::map<std::string, std::string> saved;
  for (auto it = p.begin(); it != p.end(); ++it) saved[it.key().toStdString()] = it.value().toString().toStdString();
  r.settings = sky::currentSettings(sky::findExplainer(r.method.toStdString()), saved);
  return r;
}

ExplainResult runExplainRequest(const ExplainRequest& r, const std::atomic<bool>* stop,
                                const std::function<void(double, long long, long long, double)>& onProgress) {
  if (!r.model || !r.input) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "a model and a map are needed");
  const sky::ImageBatch batch = sky::batchOf(*r.input);
  sky::Progress progress(
      [&](const sky::ProgressInfo& p) {
        onProgress(p.fraction, p.evaluations, p.totalEvaluations, p.secondsRemaining);
      },
      stop);
  sky::Attribution a = sky::runExplainer(r.method.toStdString(), *r.model, batch, r.settings, progress);
  ExplainResult result;
  result.request = r;
  result.modelForward = QString::fromStdString(r.model->forwardPath());  // read here: the worker owns the model
  const size_t per = static_cast<size_t>(a.shape.size());
  auto image = std::make_shared<sky::Image>(
      a.shape.channels, a.shape.height, a.shape.width,
      std::vector<double>(a.values.begin(), a.values.begin() + static_cast<std::ptrdiff_t>(per)));
  result.healpix = std::make_shared<const sky::SkyMap>(sky::reprojectToHealpix(*image, r.nside));
  for (int f = 0; f < result.healpix->fieldCount(); ++f) {
    result.scales.push_back(sky::ColorScale::percentiles(result.healpix->field(f)));
  }
  result.image = image;
  result.attribution = std::make_shared<const sky::Attribution>(std::move(a));
  return result;
}

ExplainJobs::ExplainJobs(QObject* parent) : QObject(parent) {
  qRegisterMetaType<ui::ExplainResult>();
  qRegisterMetaType<ui::AnalysisResult>();
  pool_.setMaxThreadCount(1);
}

ExplainJobs::~ExplainJobs() {
  cancelAll();
  pool_.waitForDone();
}

int ExplainJobs::newJob(QObject* watcher) {
  const int id = nextId_++;
  Job& job = jobs_[id];
  job.stop = std::make_unique<std::atomic<bool>>(false);
  job.watcher = watcher;
  return id;
}

template <class Result>
int ExplainJobs::launch(std::function<Result(int id, const std::atomic<bool>* stop)> work,
                        void (ExplainJobs::*delivered)(int, Result)) {
  auto* watcher = new QFutureWatcher<void>(this);
  const int id = newJob(watcher);
  const std::atomic<bool>* stop = jobs_[id].stop.get();
  const PoolJob<Result> job = runOnPool(&pool_, [this, id, work = std::move(work), stop] {
    emit started(id);  // queued to GUI-thread receivers, as progress is
    // Outcomes travel in the result (typed errors and cancellation, not a rethrown exception).
    Result out;
    try {
      out = work(id, stop);
    } catch (const sky::SkyError& e) {
      out.cancelled = e.kind() == sky::ErrorKind::Cancelled;
      out.error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
      out.error = QString::fromStdString(e.what());
    }
    return out;
  });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, id, watcher, delivered, job] {
    const Result result = job.take();
    jobs_.erase(id);
    watcher->deleteLater();
    if (result.cancelled)
      emit cancelled(id);
    else if (!result.error.isEmpty())
      emit failed(id, result.error);
    else
      emit(this->*delivered)(id, result);
  });
  watcher->setFuture(job.future);
  return id;
}

int ExplainJobs::submit(ExplainRequest request) {
  return launch<ExplainResult>(
      [this, request = std::move(request)](int id, const std::atomic<bool>* stop) {
        return runExplainRequest(request, stop, [this, id](double f, long long rows, long long total, double eta) {
          emit progress(id, f, rows, total, eta);  // queued to GUI-thread receivers
        });
      },
      &ExplainJobs::finished);
}

int ExplainJobs::submitAnalysis(AnalysisTask task) {
  return launch<AnalysisResult>(
      [this, task = std::move(task)](int id, const std::atomic<bool>* stop) {
        sky::Progress progress(
            [this, id](const sky::ProgressInfo& p) {
              emit this->progress(id, p.fraction, p.evaluations, p.totalEvaluations, p.secondsRemaining);
            },
            stop);
        AnalysisResult out = task(progress);
        out.cancelled =
            out.cancelled || stop->load();  // analyses return what they finished; a cancelled one is dropped
        return out;
      },
      &ExplainJobs::analysisFinished);
}

void ExplainJobs::cancel(int id) {
  auto it = jobs_.find(id);
  if (it != jobs_.end()) it->second.stop->store(true);
}

void ExplainJobs::cancelAll() {
  for (auto& [id, job] : jobs_) job.stop->store(true);
}

}  // namespace ui
