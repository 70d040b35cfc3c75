#pragma once
// Where the demo model and other resources live: $SKY_RESOURCES, an installed share folder
// beside the executable, or the source tree this build came from.
#include <QString>

namespace ui {
QString resourcesDirectory();
QString demoModelPath();
}  // namespace ui
