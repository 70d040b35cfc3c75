#pragma once
// healpy.ud_grade: change nside, keeping the ordering. Degrading averages the valid children
// of each parent (pess=False); a parent whose children are all masked is UNSEEN. Upgrading
// copies each parent into its children.
#include "sky/SkyMap.h"

namespace sky {

SkyMap udGrade(const SkyMap& map, int nsideOut);

}  // namespace sky
