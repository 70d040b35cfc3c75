#pragma once
// Principal components of many flattened images by randomised SVD (Halko, Martinsson & Tropp
// 2011, with power iterations), for the PCA-MLP classifier.
#include <cstdint>
#include <vector>

namespace sky {

struct PcaResult {
  int features = 0, components = 0;
  std::vector<float> mean;        // features
  std::vector<float> basis;       // components x features, orthonormal rows, by decreasing variance
  std::vector<double> variances;  // per component (explained variance)
};

// rows: n x p row-major. k <= min(n, p).
PcaResult principalComponents(const float* rows, int n, int p, int k, uint64_t seed, int powerIterations = 3);

}  // namespace sky
