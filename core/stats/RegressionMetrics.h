#pragma once
// How well a regression network recovers a parameter: R^2 (1 - SS_res / SS_tot, SS_tot about
// the true values' mean), RMSE and bias of the predicted means, and, when it predicts its
// own standard deviations, their calibration (coverage of +-1 sigma, 0.683 when calibrated,
// and the mean squared z-score, 1 when calibrated).
#include <span>

namespace sky {

struct RegressionMetrics {
  double r2 = 0, rmse = 0, bias = 0;
  double coverage1Sigma = 0, meanZ2 = 0;  // NaN without sigmas
  long long count = 0;
};

// Throws SkyError for empty or unequal series, or true values that do not vary.
RegressionMetrics regressionMetrics(std::span<const double> truth, std::span<const double> predicted,
                                    std::span<const double> sigma = {});

}  // namespace sky
