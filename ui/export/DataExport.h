#pragma once
// Data out of the desktop app: attribution maps as healpy-readable FITS (one named field per
// explainer), spectra and comparison metrics as CSV, images as NPY. Files are written
// atomically; errors are sky::SkyError naming the path.
#include <QString>

#include "sky/Image.h"
#include "state/SkySession.h"
#include "views/SpectrumView.h"

namespace ui {

class ComparisonView;

// Every attribution of the map layer `mapIndex` that shares the first one's nside.
void exportAttributionFits(const SkySession& session, int mapIndex, const QString& path);
// Column l, then one column per curve (as drawn: D_l or C_l).
void exportSpectraCsv(const std::vector<SpectrumView::Curve>& curves, bool dl, const QString& path);
// One row per compared panel; the per-band correlations go to <path stem>_bands.csv.
void exportComparisonCsv(ComparisonView& comparison, const QString& path);
void exportImageNpy(std::shared_ptr<const sky::Image> image, const QString& path);  // shape (channels, height, width)

// A FITS column name from a method name: "integrated-gradients" -> "INTEGRATED_GRADIENTS".
std::string fitsFieldName(const QString& method);

}  // namespace ui
