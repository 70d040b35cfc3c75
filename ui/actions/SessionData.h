#pragma once
// The results a session keeps beside its file, so that opening it shows them at once instead
// of re-running every explainer (a 30000-evaluation partition run costs minutes). A session
// `name.json` keeps them in `name.data/`: per explainer run, its attribution image
// (`run-N.npy`, C x H x W float64) and its HEALPix maps (`run-N.fits`, one field per channel),
// N the index of the run's first layer. The JSON names them relative to itself.
#include <QJsonObject>
#include <QString>
#include <memory>
#include <vector>

#include "sky/Image.h"
#include "sky/SkyMap.h"

namespace ui {

QString sessionDataDirectory(const QString& sessionPath);

// One run's results to save: where, and what (shared, so a worker can write them while the
// session changes).
struct RunData {
  QString npy, fits;  // absolute
  std::shared_ptr<const sky::Image> image;
  std::vector<std::shared_ptr<const sky::SkyMap>> channels;
  QString history;
};
RunData planRunData(const QString& sessionPath, int firstLayer, std::shared_ptr<const sky::Image> image,
                    std::vector<std::shared_ptr<const sky::SkyMap>> channels, QString history);
// The layer's "data" entry: {"image": "name.data/run-N.npy", "healpix": "name.data/run-N.fits"}.
QJsonObject runDataEntry(const QString& sessionPath, const RunData& run);
// Writes the files (each atomically), on any thread. Throws sky::SkyError.
void writeRunData(const RunData& run);

// The absolute path of a file a "data" entry names (relative to the session file).
QString runDataPath(const QString& sessionPath, const QJsonObject& data, const char* key);
// The attribution image a run saved. Throws sky::SkyError.
std::shared_ptr<const sky::Image> readRunImage(const QString& path);

// Removes the run files in the data directory that `kept` (absolute paths) does not name:
// left by an earlier save of the same session with other runs.
void removeStaleRunData(const QString& sessionPath, const QStringList& kept);

}  // namespace ui
