#include "Resources.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace ui {

QString resourcesDirectory() {
  const QString env = qEnvironmentVariable("SKY_RESOURCES");
  if (!env.isEmpty()) return env;
  const QString installed = QCoreApplication::applicationDirPath() + "/../share/skyinterpret";
  if (QFileInfo::exists(installed + "/demo/demo_model.pt")) return QDir(installed).absolutePath();
  return QStringLiteral(SKY_SOURCE_RESOURCES);
}

QString demoModelPath() { return resourcesDirectory() + "/demo/demo_model.pt"; }

}  // namespace ui
