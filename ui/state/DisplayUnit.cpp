#include "state/DisplayUnit.h"

#include <QObject>

#include "state/SkySession.h"

namespace ui {

DisplayUnit displayUnitFor(const std::string& fileUnit) {
  const QString unit = QString::fromStdString(fileUnit).trimmed();
  const QString upper = unit.toUpper();
  // "K", "K_CMB", "KCMB", "K_RJ", "K (CMB)"...: kelvin; "MK..." is millikelvin.
  const auto kelvin = [&](const QString& u) {
    return u == "K" || u.startsWith("K_") || u.startsWith("KCMB") || u.startsWith("K ") || u == "KRJ";
  };
  if (kelvin(upper)) return {1e6, QString("uK") + unit.mid(1)};
  if (unit.startsWith("mK") && kelvin(upper.mid(1))) return {1e3, QString("uK") + unit.mid(2)};
  return {1.0, unit};
}

DisplayUnit displayUnitOf(const Layer& layer) {
  if (layer.kind == Layer::Kind::Attribution || !layer.map) return {1.0, QObject::tr("attribution")};
  return displayUnitFor(layer.map->unit());
}

}  // namespace ui
