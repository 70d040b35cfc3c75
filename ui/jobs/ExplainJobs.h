#pragma once
// Runs explainers on a worker thread (one at a time: a model is not thread-safe; more
// requests queue), reports progress and results to the GUI thread through signals, and
// cancels through the core's atomic flag (the job stops within one batch).
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QVariantMap>
#include <atomic>
#include <map>
#include <memory>

#include "explain/Attribution.h"
#include "explain/ExplainerRegistry.h"
#include "jobs/AnalysisResult.h"
#include "model/Model.h"
#include "render/Colormap.h"
#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace ui {

struct ExplainRequest {
  QString method = "integrated-gradients";  // a name in the explainer registry (explain/ExplainerRegistry.h)
  sky::ExplainerSettings settings;          // by registry parameter name; absent = the default
  int sourceLayer = -1;
  int nside = 32;  // of the HEALPix attribution map
  std::shared_ptr<const sky::Image> input;
  std::shared_ptr<sky::Model> model;

  // The method, its settings (defaults included, registry names) and nside as a map, for
  // session files and exported file headers; and back, reading sessions saved before the
  // registry too (explain/ExplainerRegistry.h, currentSettings).
  QVariantMap parameters() const;
  static ExplainRequest fromParameters(const QVariantMap& parameters);
};

struct ExplainResult {
  ExplainRequest request;
  std::shared_ptr<const sky::Attribution> attribution;
  std::shared_ptr<const sky::SkyMap> healpix;  // target 0, channel by channel
  std::shared_ptr<const sky::Image> image;     // the attribution image of target 0
  std::vector<sky::ColorScale> scales;         // raw percentiles of each healpix field (made on the worker)
  QString modelForward;                        // how forward-only work ran (Model::forwardPath)
  QString error;                               // set when the job failed
  bool cancelled = false;
};

class ExplainJobs : public QObject {
  Q_OBJECT
 public:
  explicit ExplainJobs(QObject* parent = nullptr);
  ~ExplainJobs() override;
  int submit(ExplainRequest request);
  // Analyses use the model too, so they queue on the same single worker.
  int submitAnalysis(AnalysisTask task);
  void cancel(int id);
  void cancelAll();
  int pending() const { return static_cast<int>(jobs_.size()); }

 signals:
  void started(int id);
  void progress(int id, double fraction, qlonglong rows, qlonglong totalRows, double secondsRemaining);
  void finished(int id, ui::ExplainResult result);
  void analysisFinished(int id, ui::AnalysisResult result);
  void failed(int id, QString message);
  void cancelled(int id);

 private:
  struct Job {
    std::unique_ptr<std::atomic<bool>> stop;
    QObject* watcher = nullptr;  // a QFutureWatcher of the job's result type
  };
  int newJob(QObject* watcher);
  // Runs work(id, stop) on the worker; its result goes to `delivered` unless it failed or was cancelled.
  template <class Result>
  int launch(std::function<Result(int id, const std::atomic<bool>* stop)> work,
             void (ExplainJobs::*delivered)(int, Result));
  QThreadPool pool_;
  std::map<int, Job> jobs_;
  int nextId_ = 1;
};

// Runs one request on the calling thread (the worker body; also used by tests).
ExplainResult runExplainRequest(const ExplainRequest& request, const std::atomic<bool>* stop,
                                const std::function<void(double, long long, long long, double)>& onProgress);

}  // namespace ui

Q_DECLARE_METATYPE(ui::ExplainResult)
