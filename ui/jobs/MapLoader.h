#pragma once
// Opens map files on the thread pool: reads them in chunks (with progress), reorders to RING,
// splits the fields and computes their colour scales, so that opening an nside-2048 file never
// blocks the window (every step grows with the number of pixels). Loads run one at a time in
// the order asked (two big maps are never half-read at once); cancel stops them all.
#include <QObject>
#include <QString>
#include <QStringList>
#include <atomic>
#include <map>
#include <memory>
#include <vector>

#include "jobs/Progress.h"
#include "render/Colormap.h"
#include "sky/SkyMap.h"

namespace ui {

struct LoadedMap {
  QString path;                                            // absolute
  std::shared_ptr<const sky::SkyMap> whole;                // RING, every field (what a model reads)
  std::vector<std::shared_ptr<const sky::SkyMap>> fields;  // one per field, sharing whole's values
  std::vector<sky::ColorScale> scales;                     // raw 0.5-99.5 percentiles of each field
  QStringList warnings;                                    // from the reader (partial sky, no ORDERING...)
};

// Reads and prepares a map file on the calling thread (a worker's). Throws sky::SkyError.
LoadedMap loadMapFile(const QString& path, sky::Progress* progress = nullptr);

class MapLoader : public QObject {
  Q_OBJECT
 public:
  explicit MapLoader(QObject* parent = nullptr);
  ~MapLoader() override;  // cancels and waits for the worker

  // Queues reading `path` and returns the request's id.
  int load(const QString& path);
  void cancel();  // every queued and running load; each ends with cancelled(id)
  bool busy() const { return !cancelFlags_.empty(); }
  // Blocks until no load runs (tests, shutdown).
  void waitForIdle();

 signals:
  void progress(int id, const QString& path, double fraction);
  void loaded(int id, const ui::LoadedMap& map);
  void failed(int id, const QString& path, const QString& message);
  void cancelled(int id, const QString& path);

 private:
  int nextId_ = 1;
  std::map<int, std::shared_ptr<std::atomic<bool>>> cancelFlags_;  // of the loads not yet delivered
};

}  // namespace ui
