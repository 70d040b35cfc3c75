#pragma once
// How alike two attribution maps are: Pearson and Spearman correlation, overlap of their top-k%
// |attribution| pixels (Jaccard), sign agreement, and the correlation of their spectra per
// l-band, r_b = sum (2l+1) C_l^AB / sqrt(sum (2l+1) C_l^AA * sum (2l+1) C_l^BB).
#include <cstdint>
#include <vector>

#include "select/Selection.h"
#include "sky/SkyMap.h"

namespace sky {

struct BandCorrelation {
  int lmin = 0, lmax = 0;
  double r = 0.0;
};

struct ComparisonOptions {
  double topFraction = 0.05;  // top-k% overlap
  int bands = 8;              // equal-width l-bands over [2, lmax]
  int lmax = -1;              // -1: 3 nside - 1
};

struct AttributionComparison {
  int64_t pixels = 0;  // pixels compared (unmasked in both; inside the mask if given)
  double pearson = 0.0, spearman = 0.0;
  double topOverlap = 0.0;  // Jaccard index of the two top-fraction |a| sets
  double signAgreement =
      0.0;  // fraction of pixels where both are nonzero with equal signs, among those nonzero in both
  std::vector<BandCorrelation> bands;  // full sky (spectra ignore the mask)
};

// Both maps need the same nside (field 0 of each). `within` restricts the pixel metrics.
AttributionComparison compareAttributions(const SkyMap& a, const SkyMap& b, const ComparisonOptions& options = {},
                                          const SkyMask* within = nullptr);

// Helpers, exposed for tests.
double pearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y);
std::vector<double> averageRanks(const std::vector<double>& x);  // ties share their mean rank (1-based)

}  // namespace sky
