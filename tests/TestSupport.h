#pragma once
// Helpers shared by the test suites: fixture paths, scratch directories, error comparisons.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "io/Npy.h"
#include "util/Error.h"

namespace skytest {

inline std::filesystem::path dataPath(const std::string& name) {
  return std::filesystem::path(SKY_TEST_DATA_DIR) / name;
}
inline sky::NpyArray fixture(const std::string& name) { return sky::readNpy(dataPath("sky/" + name)); }

// max|a - b| / max|b|, the comparison of shared/reference/README.md.
inline double relativeError(std::span<const double> a, std::span<const double> b) {
  EXPECT_EQ(a.size(), b.size());
  double diff = 0.0, scale = 0.0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    diff = std::max(diff, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return scale > 0 ? diff / scale : diff;
}

// n seeded N(0, scale^2) draws.
inline std::vector<double> randomValues(size_t n, unsigned seed, double scale = 1.0) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, scale);
  std::vector<double> v(n);
  for (double& x : v) x = g(rng);
  return v;
}

// A fresh directory under the system temp dir, removed at destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("skytest-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Files (not directories) anywhere below `dir`: a failed command must not change it.
inline size_t fileCountBelow(const std::filesystem::path& dir) {
  size_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) n += entry.is_directory() ? 0 : 1;
  return n;
}

// Runs `f`, expecting a SkyError of `kind` whose message contains `fragment`.
template <typename F>
void expectSkyError(F&& f, sky::ErrorKind kind, const std::string& fragment) {
  try {
    f();
    ADD_FAILURE() << "expected a SkyError mentioning '" << fragment << "'";
  } catch (const sky::SkyError& e) {
    EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(kind)) << e.what();
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << "message: " << e.what();
  }
}

}  // namespace skytest
