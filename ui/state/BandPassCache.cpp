#include "state/BandPassCache.h"

#include <QFutureWatcher>
#include <QThreadPool>

#include "jobs/PoolRun.h"
#include "sky/HarmonicFilters.h"

namespace ui {

std::shared_ptr<const sky::SkyMap> BandPassCache::get(const std::shared_ptr<const sky::SkyMap>& map,
                                                      const sky::MultipoleRange& band) {
  const auto found = entries_.find(map.get());
  if (found != entries_.end()) return found->second.filtered;
  entries_[map.get()] = {};
  ++running_;
  const int version = version_;
  auto* watcher = new QFutureWatcher<void>(this);
  const auto job = runOnPool(computePool(), [map, band] {
    const sky::SkyMap field0 = map->fieldMap(0);
    sky::HarmonicOptions o;
    o.lmax = std::min(band.lmax, 3 * map->nside() - 1);
    auto filtered =
        std::make_shared<const sky::SkyMap>(sky::bandPass(field0, band.lmin, o.lmax, sky::BandMode::Keep, o));
    const sky::ColorScale scale = sky::ColorScale::percentiles(filtered->field(0));
    return Entry{std::move(filtered), scale};
  });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, job, version, source = map.get()] {
    watcher->deleteLater();
    --running_;
    Entry made;
    QString problem;
    try {
      made = job.take();
    } catch (const std::exception& e) {  // e.g. out of memory: the views keep drawing the map itself
      problem =
          tr("the selected l-range could not be applied to the sky views: %1").arg(QString::fromStdString(e.what()));
    }
    if (version != version_) return;  // made for a band no longer selected
    if (made.filtered) entries_[source] = std::move(made);
    if (!problem.isEmpty()) emit failed(problem);
    emit ready();
  });
  watcher->setFuture(job.future);
  return nullptr;
}

void BandPassCache::clear() {
  entries_.clear();
  ++version_;
}

std::vector<const sky::SkyMap*> BandPassCache::made() const {
  std::vector<const sky::SkyMap*> out;
  for (const auto& [source, e] : entries_)
    if (e.filtered) out.push_back(e.filtered.get());
  return out;
}

const sky::ColorScale* BandPassCache::scaleOf(const sky::SkyMap* filtered) const {
  for (const auto& [source, e] : entries_)
    if (e.filtered.get() == filtered) return &e.scale;
  return nullptr;
}

}  // namespace ui
