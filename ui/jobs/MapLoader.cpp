#include "jobs/MapLoader.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QThreadPool>

#include "io/HealpixFits.h"
#include "jobs/PoolRun.h"
#include "util/Error.h"

namespace ui {

namespace {

// One worker: two big maps are never held half-read at once.
QThreadPool& loaderPool() {
  static QThreadPool* pool = [] {
    auto* p = new QThreadPool;
    p->setMaxThreadCount(1);
    return p;
  }();
  return *pool;
}

}  // namespace

LoadedMap loadMapFile(const QString& path, sky::Progress* progress) {
  LoadedMap out;
  out.path = QFileInfo(path).absoluteFilePath();
  sky::FitsReadReport report;
  sky::SkyMap ring = sky::readHealpixFits(path.toStdString(), &report, progress, sky::Ordering::Ring);
  for (const auto& w : report.warnings) out.warnings << QString::fromStdString(w);
  auto whole = std::make_shared<const sky::SkyMap>(std::move(ring));
  for (int f = 0; f < whole->fieldCount(); ++f) {
    if (progress) progress->report(f, whole->fieldCount(), "colour scales", true);
    out.fields.push_back(whole->fieldCount() == 1 ? whole : std::make_shared<const sky::SkyMap>(whole->fieldMap(f)));
    out.scales.push_back(sky::ColorScale::percentiles(whole->field(f)));
  }
  out.whole = std::move(whole);
  return out;
}

MapLoader::MapLoader(QObject* parent) : QObject(parent) { qRegisterMetaType<ui::LoadedMap>(); }

MapLoader::~MapLoader() {
  cancel();
  waitForIdle();
}

void MapLoader::cancel() {
  for (auto& [id, flag] : cancelFlags_) flag->store(true);
}

void MapLoader::waitForIdle() { loaderPool().waitForDone(); }

int MapLoader::load(const QString& path) {
  const int id = nextId_++;
  auto flag = std::make_shared<std::atomic<bool>>(false);
  cancelFlags_[id] = flag;
  auto* watcher = new QFutureWatcher<void>(this);
  const PoolJob<LoadedMap> job = runOnPool(&loaderPool(), [this, id, path, flag] {
    sky::Progress progress([this, id, path](const sky::ProgressInfo& p) { emit this->progress(id, path, p.fraction); },
                           flag.get());
    progress.throwIfCancelled();  // cancelled while it queued
    return loadMapFile(path, &progress);
  });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, id, path, watcher, job, flag] {
    watcher->deleteLater();
    cancelFlags_.erase(id);
    try {
      LoadedMap map = job.take();
      if (flag->load())
        emit cancelled(id, path);  // cancelled after its last chunk
      else
        emit loaded(id, map);
    } catch (const sky::SkyError& e) {
      if (e.kind() == sky::ErrorKind::Cancelled)
        emit cancelled(id, path);
      else
        emit failed(id, path, QString::fromStdString(e.what()));
    } catch (const std::exception& e) {
      emit failed(id, path, QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.what())));
    }
  });
  watcher->setFuture(job.future);
  return id;
}

}  // namespace ui
