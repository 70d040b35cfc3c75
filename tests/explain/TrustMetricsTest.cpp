#include <cmath>
#include <numeric>

#include "TestModels.h"
#include "TestSupport.h"
#include "analysis/TrustMetrics.h"
#include "explain/GradientExplainers.h"
#include "sky/Cartview.h"
#include "sky/Mollweide.h"

using namespace sky;
using skytest::FunctionModel;

namespace {

const ImageShape kShape{2, 8, 16};

Image randomImage(unsigned seed, double scale = 1.0) {
  return Image(kShape.channels, kShape.height, kShape.width,
               skytest::randomValues(static_cast<size_t>(kShape.size()), seed, scale));
}

Image imageOf(const Attribution& a) {
  return Image(kShape.channels, kShape.height, kShape.width,
               std::vector<double>(a.values.begin(), a.values.begin() + kShape.size()));
}

// f = w . x, with its exact gradient.
FunctionModel linearModel(const std::vector<double>& w) {
  return FunctionModel(
      kShape, 1,
      [w](const std::vector<double>& x) {
        return std::vector<double>{std::inner_product(w.begin(), w.end(), x.begin(), 0.0)};
      },
      [w](const std::vector<double>&, int) { return w; });
}

}  // namespace

// Captum's known answers: for a linear model the plain gradient has infidelity 0 and
// sensitivity-max 0, and IG from a zero baseline has infidelity 0 as a multiply-by-inputs
// attribution; a curved model's gradient does not.
TEST(TrustMetrics, InfidelityAndSensitivityOfALinearModelAreZero) {
  const auto w = skytest::randomValues(static_cast<size_t>(kShape.size()), 3);
  FunctionModel model = linearModel(w);
  const Image x = randomImage(4);
  Progress progress;
  SaliencyOptions plain;
  plain.absolute = false;
  const Image gradient = imageOf(explainSaliency(model, batchOf(x), plain, progress));
  TrustMetricOptions o;
  o.multiplyByInputs = false;
  EXPECT_LT(infidelity(model, x, gradient, o), 1e-12);
  const Reexplain saliency = [&](const Image& in) {
    return imageOf(explainSaliency(model, batchOf(in), plain, progress));
  };
  EXPECT_EQ(sensitivityMax(saliency, x, o, progress), 0.0);

  const Image ig = imageOf(explainIntegratedGradients(model, batchOf(x), IntegratedGradientsOptions{}, progress));
  o.multiplyByInputs = true;
  EXPECT_LT(infidelity(model, x, ig, o), 1e-12);

  // A curved model: its gradient is no exact account of finite changes, and moves with x.
  FunctionModel curved(kShape, 1, [&](const std::vector<double>& v) {
    double y = 0;
    for (size_t i = 0; i < v.size(); ++i) y += w[i] * v[i] + 40 * v[i] * v[i] * v[i];
    return std::vector<double>{y};
  });
  const Image curvedGradient = imageOf(explainSaliency(curved, batchOf(x), plain, progress));
  o.multiplyByInputs = false;
  const double curvedInfidelity = infidelity(curved, x, curvedGradient, o);
  EXPECT_GT(curvedInfidelity, 1e-8);
  const Reexplain curvedSaliency = [&](const Image& in) {
    return imageOf(explainSaliency(curved, batchOf(in), plain, progress));
  };
  EXPECT_GT(sensitivityMax(curvedSaliency, x, o, progress), 1e-3);
  // Seeded: the same options give the same value.
  EXPECT_EQ(infidelity(curved, x, curvedGradient, o), curvedInfidelity);
  o.seed = 5;
  EXPECT_NE(infidelity(curved, x, curvedGradient, o), curvedInfidelity);
}

// Quantus's Gini index and entropy, against numpy/scipy on a small vector and at the extremes.
TEST(TrustMetrics, SparsenessAndComplexityFollowQuantus) {
  const std::vector<double> a = {0.5, -2.0, 0.0, 1.0, 3.0, -0.25};
  EXPECT_NEAR(giniSparseness(a), 0.5123455423868678, 1e-12);    // numpy, as Quantus
  EXPECT_NEAR(entropyComplexity(a), 1.318581905393435, 1e-12);  // scipy.stats.entropy
  const std::vector<double> flat(100, -2.0);
  EXPECT_NEAR(giniSparseness(flat), 0.0, 1e-12);
  EXPECT_NEAR(entropyComplexity(flat), std::log(100.0), 1e-12);
  std::vector<double> one(100, 0.0);
  one[17] = 4.0;
  EXPECT_NEAR(giniSparseness(one), 0.99, 1e-5);  // (n - 1) / n
  EXPECT_NEAR(entropyComplexity(one), 0.0, 1e-12);
  skytest::expectSkyError([] { entropyComplexity(std::vector<double>(4, 0.0)); }, ErrorKind::InvalidArgument,
                          "all-zero");
}

// Without noise the imputation reproduces a linear ramp inside the image (a linear function
// is the weighted mean of its eight neighbours), and leaves kept pixels alone.
TEST(TrustMetrics, NoisyLinearImputationRestoresARamp) {
  Image ramp(kShape.channels, kShape.height, kShape.width);
  for (int c = 0; c < kShape.channels; ++c)
    for (int i = 0; i < kShape.height; ++i)
      for (int j = 0; j < kShape.width; ++j) ramp.at(c, i, j) = 0.3 * i - 0.7 * j + c;
  std::vector<uint8_t> removed(ramp.planeSize(), 0);
  for (int i = 2; i < 6; ++i)
    for (int j = 3; j < 12; j += (i % 2 ? 1 : 2)) removed[static_cast<size_t>(i) * kShape.width + j] = 1;
  Image holed = ramp;
  for (int c = 0; c < kShape.channels; ++c)
    for (size_t p = 0; p < removed.size(); ++p)
      if (removed[p]) holed.data()[c * removed.size() + p] = 99.0;
  const Image imputed = noisyLinearImputation(holed, removed, 0.0, 0);
  for (size_t k = 0; k < ramp.data().size(); ++k) EXPECT_NEAR(imputed.data()[k], ramp.data()[k], 1e-9) << k;
  const Image noisy = noisyLinearImputation(holed, removed, 0.01, 0);
  double change = 0;
  for (size_t k = 0; k < ramp.data().size(); ++k) change = std::max(change, std::abs(noisy.data()[k] - ramp.data()[k]));
  EXPECT_GT(change, 1e-4);
  EXPECT_LT(change, 0.06);
}

// ROAD on a model that reads one box: an attribution covering the box loses the output fast
// when its most relevant pixels go and slowly when its least relevant go; a random one does not.
TEST(TrustMetrics, RoadRanksTheBoxAboveRandom) {
  const Image x = randomImage(6);
  const auto inBox = [](size_t k) {
    const size_t plane = static_cast<size_t>(kShape.height) * kShape.width, p = k % plane;
    const size_t i = p / kShape.width, j = p % kShape.width;
    return i >= 2 && i < 6 && j >= 4 && j < 10;
  };
  FunctionModel model(kShape, 1, [&](const std::vector<double>& v) {
    double y = 0;
    for (size_t k = 0; k < v.size(); ++k)
      if (inBox(k)) y += v[k] * v[k];
    return std::vector<double>{y};
  });
  Image box(kShape.channels, kShape.height, kShape.width), random = randomImage(8);
  for (size_t k = 0; k < box.data().size(); ++k) box.data()[k] = inBox(k) ? 1.0 : 0.0;
  TrustMetricOptions o;
  Progress progress;
  const RoadCurves boxCurves = road(model, x, box, o, progress), randomCurves = road(model, x, random, o, progress);
  ASSERT_EQ(boxCurves.fraction.size(), 10u);
  EXPECT_EQ(boxCurves.morf[0], boxCurves.lerf[0]);
  EXPECT_LT(boxCurves.morfArea, randomCurves.morfArea);
  EXPECT_GT(boxCurves.score, randomCurves.score);
  EXPECT_GT(boxCurves.score, 0.0);
  // LeRF keeps the box until the box itself must go (24 of the 128 pixels).
  EXPECT_NEAR(boxCurves.lerf[5], boxCurves.lerf[0], 1e-5 * boxCurves.lerf[0]);
  o.roadFractions = {0.5, 0.2};
  skytest::expectSkyError([&] { road(model, x, box, o, progress); }, ErrorKind::InvalidArgument, "must increase");
}

// ROAD on HEALPix pixels: for a model that reads the image pixels of one base pixel, a map
// attribution covering that base pixel scores above a random one, and imputation keeps the
// rest of the map.
TEST(TrustMetrics, RoadOnHealpixPixelsRanksTheRegionAboveRandom) {
  const int nside = 8;
  const ImageShape shape{1, 16, 32};
  const auto values = skytest::randomValues(static_cast<size_t>(npixForNside(nside)), 12);
  const SkyMap map(nside, Ordering::Ring, {std::vector<double>(values.begin(), values.end())});
  // The region: RING pixels whose centre lies in base pixel 4 (theta about 90 deg, phi 0).
  std::vector<double> inRegion(values.size());
  for (size_t p = 0; p < values.size(); ++p) {
    const SkyDirection d = ringPixelCentre(nside, static_cast<int64_t>(p));
    inRegion[p] = ringPixelAt(1, d) == 4 ? 1.0 : 0.0;
  }
  const std::vector<int64_t> sampled = cartviewPixels(CartviewGrid::forWidth(shape.width), nside);
  FunctionModel model(shape, 1, [&](const std::vector<double>& x) {
    double y = 0;
    for (size_t i = 0; i < x.size(); ++i)
      if (inRegion[static_cast<size_t>(sampled[i])] > 0) y += x[i] * x[i];
    return std::vector<double>{y};
  });
  const SkyMap region(nside, Ordering::Ring, {inRegion});
  const auto noise = skytest::randomValues(values.size(), 13);
  const SkyMap random(nside, Ordering::Ring, {std::vector<double>(noise.begin(), noise.end())});
  TrustMetricOptions o;
  Progress progress;
  const RoadCurves regionCurves = mapRoad(model, map, region, o, progress);
  const RoadCurves randomCurves = mapRoad(model, map, random, o, progress);
  ASSERT_EQ(regionCurves.fraction.size(), 10u);
  EXPECT_GT(regionCurves.score, randomCurves.score);
  EXPECT_GT(regionCurves.score, 0.0);
  // The region is 1/12 of the sky: LeRF removes only other pixels up to 90%, so the output stays.
  EXPECT_NEAR(regionCurves.lerf[9], regionCurves.lerf[0], 1e-9 * regionCurves.lerf[0]);
  // A coarser attribution ranks through ud_grade: base pixel 4 at nside 1 is the same region.
  std::vector<double> base(12, 0.0);
  base[4] = 1.0;
  const RoadCurves coarse = mapRoad(model, map, SkyMap(1, Ordering::Ring, {base}), o, progress);
  EXPECT_NEAR(coarse.lerf[9], coarse.lerf[0], 1e-9 * coarse.lerf[0]);
  EXPECT_GT(coarse.score, randomCurves.score);
}
