#include "actions/SessionData.h"

#include <QDir>
#include <QFileInfo>

#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "util/Error.h"

namespace ui {

QString sessionDataDirectory(const QString& sessionPath) {
  const QFileInfo info(sessionPath);
  return info.absoluteDir().filePath(info.completeBaseName() + ".data");
}

RunData planRunData(const QString& sessionPath, int firstLayer, std::shared_ptr<const sky::Image> image,
                    std::vector<std::shared_ptr<const sky::SkyMap>> channels, QString history) {
  const QDir directory(sessionDataDirectory(sessionPath));
  const QString base = QStringLiteral("run-%1").arg(firstLayer);
  return {directory.filePath(base + ".npy"), directory.filePath(base + ".fits"), std::move(image), std::move(channels),
          std::move(history)};
}

QJsonObject runDataEntry(const QString& sessionPath, const RunData& run) {
  const QDir sessionDir = QFileInfo(sessionPath).absoluteDir();
  return {{"image", sessionDir.relativeFilePath(run.npy)}, {"healpix", sessionDir.relativeFilePath(run.fits)}};
}

void writeRunData(const RunData& run) {
  const QString directory = QFileInfo(run.npy).absolutePath();
  if (!QDir().mkpath(directory)) {
    throw sky::SkyError(sky::ErrorKind::OutputUnwritable,
                        "cannot create " + directory.toStdString() + " for the session's results");
  }
  const sky::Image& image = *run.image;
  const std::vector<size_t> shape{static_cast<size_t>(image.channels()), static_cast<size_t>(image.height()),
                                  static_cast<size_t>(image.width())};
  sky::writeNpy(run.npy.toStdString(), shape, image.data(), sky::Overwrite::Allow);
  std::vector<std::vector<double>> fields;
  std::vector<std::string> names;
  for (const auto& m : run.channels) {
    fields.emplace_back(m->field(0).begin(), m->field(0).end());
    names.push_back(m->fieldName(0));
  }
  const sky::SkyMap all(run.channels.front()->nside(), sky::Ordering::Ring, std::move(fields), names,
                        run.channels.front()->unit());
  sky::FitsWriteOptions o;
  o.overwrite = sky::Overwrite::Allow;
  o.extraComments = {run.history.toStdString()};
  sky::writeHealpixFits(all, run.fits.toStdString(), o);
}

QString runDataPath(const QString& sessionPath, const QJsonObject& data, const char* key) {
  const QString name = data.value(key).toString();
  if (name.isEmpty()) return {};
  return QFileInfo(sessionPath).absoluteDir().absoluteFilePath(name);
}

std::shared_ptr<const sky::Image> readRunImage(const QString& path) {
  const sky::NpyArray a = sky::readNpy(path.toStdString());
  if (a.shape.size() != 3) {
    throw sky::SkyError(sky::ErrorKind::InvalidData, path.toStdString() + " is not a C x H x W attribution image");
  }
  return std::make_shared<const sky::Image>(static_cast<int>(a.shape[0]), static_cast<int>(a.shape[1]),
                                            static_cast<int>(a.shape[2]), a.values);
}

void removeStaleRunData(const QString& sessionPath, const QStringList& kept) {
  QDir directory(sessionDataDirectory(sessionPath));
  if (!directory.exists()) return;
  for (const QFileInfo& f : directory.entryInfoList({"run-*.npy", "run-*.fits"}, QDir::Files)) {
    if (!kept.contains(f.absoluteFilePath())) QFile::remove(f.absoluteFilePath());
  }
}

}  // namespace ui
