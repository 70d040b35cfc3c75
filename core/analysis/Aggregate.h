#pragma once
// What a model looks at across many maps: per class, the mean attribution and mean
// |attribution| HEALPix maps, the attribution power spectra (mean and scatter over maps), and
// which share of |attribution| falls on the edges of masks, on hot spots, on cold spots, and in
// each l-band of the attribution's power.
#include <array>
#include <vector>

#include "sky/SkyMap.h"

namespace sky {

struct AggregateOptions {
  double spotSigma = 2.0;  // hot: (v - mean) > k sigma of the map; cold: < -k sigma
  int bandWidth = 10;      // l-bands [2, 2+w-1], ... up to 3 nside - 1 of the attributions
};

struct ClassAggregate {
  int maps = 0;
  std::vector<double> mean, meanAbs;  // per RING pixel of the attributions' nside
  std::vector<double> clMean, clStd;  // attribution C_l, l = 0..lmax, over maps
  // Shares of sum |a| (mean over maps): pixels touching a masked pixel, hot and cold pixels of
  // the map; and of sum (2l+1) C_l of the attribution per band.
  double maskEdgeShare = 0, hotShare = 0, coldShare = 0;
  std::vector<double> bandShare;
};

struct AttributionAggregate {
  int nside = 0;
  std::vector<int> bandLmin, bandLmax;
  std::array<ClassAggregate, 2> classes;  // [LambdaCDM, feature]
};

// maps[i] is explained by attributions[i] (field 0; all attributions of one nside) and has
// labels[i] in {0, 1}. Maps are read at the attribution pixels' centres. Throws SkyError.
AttributionAggregate aggregateAttributions(const std::vector<SkyMap>& maps, const std::vector<SkyMap>& attributions,
                                           const std::vector<int>& labels, const AggregateOptions& options = {});

}  // namespace sky
