#pragma once
// How a layer's values are shown. CMB maps stored in kelvin (Planck's K_CMB, K_RJ, or "K") are
// shown in microkelvin, as cosmologists quote them (and mK in uK); C_l in uK^2. Display only:
// the stored values, the model's input and every file written keep the file's own unit.
#include <QString>
#include <string>

#include "render/Colormap.h"

namespace ui {

struct Layer;

struct DisplayUnit {
  double factor = 1.0;  // displayed = stored * factor
  QString label;        // e.g. "uK_CMB"; empty when the file gives none
  double toDisplay(double stored) const { return stored * factor; }
  double toStored(double shown) const { return shown / factor; }
  sky::ColorScale toDisplay(const sky::ColorScale& s) const { return {s.min * factor, s.max * factor}; }
};

DisplayUnit displayUnitFor(const std::string& fileUnit);
// Attributions are shown as they are ("attribution"); maps by their file's unit.
DisplayUnit displayUnitOf(const Layer& layer);

}  // namespace ui
