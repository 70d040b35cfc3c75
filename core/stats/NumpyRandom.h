#pragma once
// numpy's legacy global generator (np.random.seed(int), np.random.randn), stream for stream:
// shap's Permutation explainer draws its partition-tree switches from it, so reproducing it
// reproduces shap's permutations for the same seed. MT19937 seeded as init_genrand (which is
// what both np.random.seed(int) and std::mt19937(seed) do), 53-bit doubles from two 32-bit
// draws, and the legacy polar Gaussian that keeps its second value for the next call.
#include <cstdint>
#include <random>

namespace sky {

class NumpyLegacyRandom {
 public:
  explicit NumpyLegacyRandom(uint32_t seed) : mt_(seed) {}

  // np.random.random_sample(): [0, 1) with 53 random bits.
  double uniform();
  // np.random.randn() (one value; randn(n) is n calls in order).
  double gauss();

 private:
  std::mt19937 mt_;
  bool hasGauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace sky
