#include "stats/RegressionMetrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "util/Error.h"

namespace sky {

RegressionMetrics regressionMetrics(std::span<const double> truth, std::span<const double> predicted,
                                    std::span<const double> sigma) {
  if (truth.empty() || truth.size() != predicted.size() || (!sigma.empty() && sigma.size() != truth.size())) {
    throw SkyError(ErrorKind::InvalidArgument, "regression metrics need as many predictions as true values");
  }
  const double n = static_cast<double>(truth.size());
  double mean = 0;
  for (double t : truth) mean += t;
  mean /= n;
  double ssRes = 0, ssTot = 0, bias = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    const double r = predicted[i] - truth[i];
    ssRes += r * r;
    ssTot += (truth[i] - mean) * (truth[i] - mean);
    bias += r;
  }
  if (!(ssTot > 0)) throw SkyError(ErrorKind::InvalidData, "R^2 needs true values that vary");
  RegressionMetrics m;
  m.count = static_cast<long long>(truth.size());
  m.r2 = 1.0 - ssRes / ssTot;
  m.rmse = std::sqrt(ssRes / n);
  m.bias = bias / n;
  m.coverage1Sigma = m.meanZ2 = std::numeric_limits<double>::quiet_NaN();
  if (!sigma.empty()) {
    double inside = 0, z2 = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
      const double z = (predicted[i] - truth[i]) / std::max(sigma[i], 1e-300);
      inside += std::abs(z) <= 1.0;
      z2 += z * z;
    }
    m.coverage1Sigma = inside / n;
    m.meanZ2 = z2 / n;
  }
  return m;
}

}  // namespace sky
