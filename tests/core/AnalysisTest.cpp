#include <Eigen/Dense>

#include "TestSupport.h"
#include "stats/ClassificationMetrics.h"
#include "stats/Pca.h"
#include "stats/RegressionMetrics.h"

using namespace sky;
using skytest::expectSkyError;

// The textbook formulas by hand: SS_res = 0.10, SS_tot = 5 about the mean 2.5.
TEST(RegressionMetrics, TextbookValuesByHand) {
  const std::vector<double> truth = {1, 2, 3, 4}, predicted = {1.1, 1.9, 3.2, 3.8}, sigma = {0.2, 0.05, 0.1, 0.3};
  const RegressionMetrics m = regressionMetrics(truth, predicted, sigma);
  EXPECT_NEAR(m.r2, 1.0 - 0.10 / 5.0, 1e-12);
  EXPECT_NEAR(m.rmse, std::sqrt(0.10 / 4), 1e-12);
  EXPECT_NEAR(m.bias, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.coverage1Sigma, 0.5);  // z = 0.5, -2, 2, -2/3
  EXPECT_NEAR(m.meanZ2, (0.25 + 4 + 4 + 4.0 / 9) / 4, 1e-12);
  EXPECT_TRUE(std::isnan(regressionMetrics(truth, predicted).meanZ2));
  const std::vector<double> mean(4, 2.5);
  EXPECT_NEAR(regressionMetrics(truth, mean).r2, 0.0, 1e-12);  // predicting the mean explains nothing
  expectSkyError([] { regressionMetrics(std::vector<double>(3, 1.0), std::vector<double>(3, 1.0)); },
                 ErrorKind::InvalidData, "vary");
}

TEST(ClassificationMetrics, AucByHandAndLimits) {
  EXPECT_EQ(rocAuc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_EQ(rocAuc({0.1, 0.2, 0.8, 0.9}, {1, 1, 0, 0}), 0.0);
  EXPECT_EQ(rocAuc({0.5, 0.5, 0.5, 0.5}, {0, 1, 0, 1}), 0.5);  // ties count one half
  // Pairs (pos, neg): (0.4 > 0.3) (0.4 < 0.6) (0.7 > 0.3) (0.7 > 0.6): 3 of 4.
  EXPECT_DOUBLE_EQ(rocAuc({0.3, 0.4, 0.6, 0.7}, {0, 1, 0, 1}), 0.75);
  expectSkyError([] { rocAuc({0.1, 0.2}, {1, 1}); }, ErrorKind::InvalidArgument, "both classes");
  expectSkyError([] { rocAuc({0.1}, {1, 0}); }, ErrorKind::InvalidArgument, "differ in length");
}

TEST(ClassificationMetrics, YoudenThresholdAndConfusion) {
  const std::vector<double> s = {-2, -1, 0.5, 0.2, 1, 3};
  const std::vector<int> y = {0, 0, 0, 1, 1, 1};
  const ClassificationMetrics m = classificationMetrics(s, y);
  // Threshold 0.2: TPR 1, FPR 1/3 -> J = 2/3, the best available.
  EXPECT_EQ(m.youdenThreshold, 0.2);
  EXPECT_EQ(m.truePositive, 3);
  EXPECT_EQ(m.falsePositive, 1);
  EXPECT_EQ(m.trueNegative, 2);
  EXPECT_EQ(m.falseNegative, 0);
  EXPECT_DOUBLE_EQ(m.accuracy, 5.0 / 6.0);
}

TEST(Pca, RandomisedSvdFindsTheExactLeadingSubspace) {
  // Low-rank data plus small noise: the leading components must equal the exact SVD's.
  const int n = 300, p = 80, k = 5;
  const auto a = skytest::randomValues(static_cast<size_t>(n) * k, 1),
             b = skytest::randomValues(static_cast<size_t>(k) * p, 2);
  const auto noise = skytest::randomValues(static_cast<size_t>(n) * p, 3, 0.01);
  std::vector<float> x(static_cast<size_t>(n) * p);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < p; ++j) {
      double v = noise[static_cast<size_t>(i) * p + j] + 3.0;  // an offset the mean must remove
      for (int c = 0; c < k; ++c) v += a[static_cast<size_t>(i) * k + c] * b[static_cast<size_t>(c) * p + j] * (k - c);
      x[static_cast<size_t>(i) * p + j] = static_cast<float>(v);
    }
  const PcaResult r = principalComponents(x.data(), n, p, k, 9);
  Eigen::MatrixXd m =
      Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(x.data(), n, p).cast<double>();
  m = m.rowwise() - m.colwise().mean();
  Eigen::JacobiSVD<Eigen::MatrixXd> exact(m, Eigen::ComputeThinV);
  for (int c = 0; c < k; ++c) {
    double dot = 0;
    for (int j = 0; j < p; ++j) dot += r.basis[static_cast<size_t>(c) * p + j] * exact.matrixV()(j, c);
    EXPECT_NEAR(std::abs(dot), 1.0, 1e-4) << "component " << c;
    EXPECT_NEAR(r.variances[c] / (exact.singularValues()(c) * exact.singularValues()(c) / (n - 1)), 1.0, 1e-6);
  }
  EXPECT_NEAR(r.mean[0], m.rows() ? x[0] - m(0, 0) : 0, 1e-3);
  expectSkyError([&] { principalComponents(x.data(), n, p, p + 1, 1); }, ErrorKind::InvalidArgument, "components");
}
