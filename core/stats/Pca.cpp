#include "stats/Pca.h"

#include <Eigen/Dense>
#include <random>

#include "util/Error.h"

namespace sky {

PcaResult principalComponents(const float* rows, int n, int p, int k, uint64_t seed, int powerIterations) {
  if (n < 2 || p < 1 || k < 1 || k > std::min(n, p)) {
    throw SkyError(ErrorKind::InvalidArgument, "PCA needs 1 <= components <= min(images, pixels) (got " +
                                                   std::to_string(k) + " for " + std::to_string(n) + " images of " +
                                                   std::to_string(p) + " values)");
  }
  using Matrix = Eigen::MatrixXd;
  const Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> x(rows, n, p);
  PcaResult r;
  r.features = p;
  r.components = k;
  const Eigen::RowVectorXd mean = x.cast<double>().colwise().mean();
  const Matrix centred = x.cast<double>().rowwise() - mean;
  const int l = std::min(std::min(n, p), k + 10);  // oversampling
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g;
  Matrix omega(p, l);
  for (int i = 0; i < omega.size(); ++i) omega.data()[i] = g(rng);
  Matrix y = centred * omega;
  for (int it = 0; it < powerIterations; ++it) {
    y = Eigen::HouseholderQR<Matrix>(y).householderQ() * Matrix::Identity(n, l);
    y = centred * (centred.transpose() * y);
  }
  const Matrix q = Eigen::HouseholderQR<Matrix>(y).householderQ() * Matrix::Identity(n, l);
  const Matrix b = q.transpose() * centred;  // l x p
  Eigen::BDCSVD<Matrix> svd(b, Eigen::ComputeThinV);
  r.mean.assign(mean.data(), mean.data() + p);
  r.basis.resize(static_cast<size_t>(k) * p);
  for (int c = 0; c < k; ++c) {
    for (int j = 0; j < p; ++j) r.basis[static_cast<size_t>(c) * p + j] = static_cast<float>(svd.matrixV()(j, c));
    const double s = svd.singularValues()(c);
    r.variances.push_back(s * s / (n - 1));
  }
  return r;
}

}  // namespace sky
