// Scale and spot ablations on models with known answers: a model that only sees l < 20 keeps
// its output when higher multipoles are cut and loses it when lower ones are; a model that
// averages the sky loses exactly what the masked hot spots carried.
#include <atomic>
#include <complex>
#include <numeric>
#include <random>

#include "TestModels.h"
#include "TestSupport.h"
#include "analysis/Ablation.h"
#include "analysis/Faithfulness.h"
#include "analysis/Sensitivity.h"
#include "sky/Cartview.h"
#include "sky/HarmonicFilters.h"
#include "sky/Harmonics.h"
#include "sky/Mollweide.h"
#include "sky/Reprojection.h"

namespace {

constexpr int kNside = 16;
constexpr int kWidth = 128;  // cartview 128 x 64: finer than the nside-16 pixels, little aliasing

// White noise (flat C_l) plus, for the feature class, extra power at l < 10.
std::vector<sky::SkyMap> makeMaps(int count, std::vector<int>& labels, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g;
  std::vector<sky::SkyMap> maps;
  for (int i = 0; i < count; ++i) {
    const int label = i % 2;
    std::vector<double> v(static_cast<size_t>(sky::npixForNside(kNside)));
    for (double& x : v) x = g(rng);
    if (label == 1) {
      sky::AlmComponent a(3 * kNside - 1);
      for (int l = 1; l < 10; ++l)
        for (int m = 0; m <= l; ++m) a(l, m) = {3 * g(rng), m == 0 ? 0.0 : 3 * g(rng)};
      const sky::SkyMap low = sky::almToMap({a}, kNside);
      for (size_t p = 0; p < v.size(); ++p) v[p] += low.field(0)[p];
    }
    maps.emplace_back(kNside, sky::Ordering::Ring, std::vector<std::vector<double>>{std::move(v)});
    labels.push_back(label);
  }
  return maps;
}

// Output: the power of the input at l < 20 (the image put back on the sphere, then low-passed).
skytest::FunctionModel lowMultipoleModel() {
  return skytest::FunctionModel({1, kWidth / 2, kWidth}, 1, [](const std::vector<double>& chw) {
    const sky::Image image(1, kWidth / 2, kWidth, chw);
    const sky::SkyMap map = sky::reprojectToHealpix(image, kNside);
    const sky::SkyMap low = sky::bandPass(map, 0, 19, sky::BandMode::Keep);
    double power = 0;
    for (double x : low.field(0)) power += x * x;
    return std::vector<double>{power / static_cast<double>(low.npix())};
  });
}

}  // namespace

TEST(ScaleAblation, AModelOfLowMultipolesIgnoresCutsAbove20) {
  std::vector<int> labels;
  const auto maps = makeMaps(8, labels, 11);
  auto model = lowMultipoleModel();
  sky::Progress progress;
  sky::ScaleAblationOptions o;
  o.cut = sky::ScaleCut::LowPass;
  o.grid = {4, 10, 16, 24, 32, 40, 47};
  const auto curve = sky::scaleAblation(model, maps, labels, o, progress);
  ASSERT_EQ(curve.points.size(), o.grid.size());
  const double base = curve.baseline.meanOutput;
  for (const auto& p : curve.points) {
    if (p.cut >= 24) {
      EXPECT_NEAR(p.meanOutput / base, 1.0, 0.06) << "l_max " << p.cut;
    }
  }
  EXPECT_LT(curve.points[0].meanOutput, 0.5 * base);  // l <= 4 only: most of the l < 20 power is gone
  EXPECT_LT(curve.points[0].meanOutput, curve.points[1].meanOutput);
  EXPECT_LT(curve.points[1].meanOutput, curve.points[2].meanOutput);
  // The feature class has its excess at l < 10: the classes separate until that is cut away.
  EXPECT_GT(curve.baseline.auc, 0.99);
  EXPECT_GT(curve.points[4].auc, 0.99);
  ASSERT_EQ(curve.baseline.meanOutputByClass.size(), 2u);
  EXPECT_GT(curve.baseline.meanOutputByClass[1], curve.baseline.meanOutputByClass[0]);

  // High-pass from l = 24 leaves the model nothing but aliasing: its output collapses.
  o.cut = sky::ScaleCut::HighPass;
  o.grid = {24};
  EXPECT_LT(sky::scaleAblation(model, maps, labels, o, progress).points[0].meanOutput, 0.1 * base);
  // Removing a band above 20 changes little; removing one below it loses power.
  o.cut = sky::ScaleCut::RemoveBand;
  o.bandWidth = 10;
  o.grid = {30, 5};
  const auto bands = sky::scaleAblation(model, maps, labels, o, progress);
  EXPECT_NEAR(bands.points[0].meanOutput / base, 1.0, 0.06);
  EXPECT_LT(bands.points[1].meanOutput, 0.8 * base);
  EXPECT_EQ(bands.kind, "remove-band");
}

TEST(SpotAblation, MaskingHotSpotsRemovesWhatTheyCarried) {
  std::vector<int> labels;
  const auto maps = makeMaps(4, labels, 5);
  // Output: the mean of the image; masked pixels get the card's fill value 0.
  skytest::FunctionModel model({1, kWidth / 2, kWidth}, 1, [](const std::vector<double>& chw) {
    double s = 0;
    for (double x : chw) s += x;
    return std::vector<double>{s / static_cast<double>(chw.size())};
  });
  sky::Progress progress;
  sky::SpotAblationOptions o;
  o.cut = sky::SpotCut::MaskHot;
  o.thresholds = {0.5, 1.0, 2.0, 100.0};
  const auto hot = sky::spotAblation(model, maps, labels, o, progress);
  // Masking positive excursions lowers the mean, less so as the threshold rises; at 100 sigma nothing changes.
  EXPECT_LT(hot.points[0].meanOutput, hot.points[1].meanOutput);
  EXPECT_LT(hot.points[1].meanOutput, hot.points[2].meanOutput);
  EXPECT_DOUBLE_EQ(hot.points[3].meanOutput, hot.baseline.meanOutput);
  // Keep-hot plus mask-hot add up to the whole image (the two partition every pixel).
  o.cut = sky::SpotCut::KeepHot;
  const auto kept = sky::spotAblation(model, maps, labels, o, progress);
  for (size_t k = 0; k < o.thresholds.size(); ++k) {
    EXPECT_NEAR(hot.points[k].meanOutput + kept.points[k].meanOutput, hot.baseline.meanOutput, 1e-6) << k;
  }
  o.cut = sky::SpotCut::MaskCold;
  EXPECT_GT(sky::spotAblation(model, maps, labels, o, progress).points[0].meanOutput, hot.baseline.meanOutput);
}

TEST(Ablation, CancellingKeepsTheFinishedCuts) {
  std::vector<int> labels;
  const auto maps = makeMaps(4, labels, 2);
  std::atomic<bool> stop{false};
  int calls = 0;
  // Raises the flag during the second model call (the first cut's scoring).
  skytest::FunctionModel model({1, kWidth / 2, kWidth}, 1, [&](const std::vector<double>& chw) {
    if (++calls == 4 + 1) stop = true;
    return std::vector<double>{chw[0]};
  });
  sky::Progress progress({}, &stop);
  sky::ScaleAblationOptions o;
  o.grid = {10, 20, 30};
  const auto curve = sky::scaleAblation(model, maps, labels, o, progress);
  EXPECT_FALSE(curve.complete);
  ASSERT_EQ(curve.points.size(), 1u);
  EXPECT_EQ(curve.points[0].cut, 10);
}

TEST(Ablation, BadRequestsGetSpecificErrors) {
  std::vector<int> labels;
  const auto maps = makeMaps(2, labels, 1);
  auto model = lowMultipoleModel();
  sky::Progress progress;
  auto message = [&](sky::ScaleAblationOptions o, std::vector<int> l) {
    try {
      sky::scaleAblation(model, maps, l, o, progress);
    } catch (const sky::SkyError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  sky::ScaleAblationOptions o;
  EXPECT_NE(message(o, labels).find("grid of cuts is empty"), std::string::npos);
  o.grid = {48};
  EXPECT_NE(message(o, labels).find("outside 0..47"), std::string::npos);
  o.grid = {10};
  EXPECT_NE(message(o, {1}).find("1 labels for 2 maps"), std::string::npos);
  o.target = 3;
  EXPECT_NE(message(o, labels).find("output 3 does not exist"), std::string::npos);
  EXPECT_THROW(sky::parseScaleCut("bandstop"), sky::SkyError);
  EXPECT_EQ(sky::parseSpotCut("keep-cold"), sky::SpotCut::KeepCold);
}

TEST(Sensitivity, ALowMultipoleModelIsSensitiveInTheLowBandsOnly) {
  std::vector<int> labels;
  const auto maps = makeMaps(4, labels, 21);
  auto model = lowMultipoleModel();
  sky::Progress progress;
  sky::SensitivityOptions o;
  o.unit = sky::SensitivityUnit::Bands;
  o.bandWidth = 10;  // [2,11] [12,21] [22,31] [32,41] [42,47]
  o.amplitude = 1.0;
  o.repeats = 3;
  const auto r = sky::sensitivity(model, maps, o, progress);
  ASSERT_EQ(r.importance.size(), 5u);
  EXPECT_EQ(r.lmin[1], 12);
  EXPECT_EQ(r.lmax[4], 47);
  const double high = *std::max_element(r.importance.begin() + 2, r.importance.end());
  EXPECT_GT(r.importance[0], 5 * high);
  EXPECT_GT(r.importance[1], 2 * high);  // [12, 21] is mostly below 20
  // Cosmic-variance noise follows the maps' own spectra; the low bands still dominate.
  o.level = sky::NoiseLevel::CosmicVariance;
  const auto cv = sky::sensitivity(model, maps, o, progress);
  EXPECT_GT(cv.importance[0], 5 * *std::max_element(cv.importance.begin() + 2, cv.importance.end()));
}

TEST(Sensitivity, AModelLookingAtOnePixelIsSensitiveInItsRegionAlone) {
  std::vector<int> labels;
  const auto maps = makeMaps(2, labels, 3);
  // Output: the image value at row 40, column 50 (latitude ~ +22 deg, longitude ~ +39 deg).
  const int row = 40, col = 50;
  skytest::FunctionModel model({1, kWidth / 2, kWidth}, 1, [&](const std::vector<double>& chw) {
    return std::vector<double>{chw[static_cast<size_t>(row) * kWidth + col]};
  });
  const sky::CartviewGrid grid = sky::CartviewGrid::forWidth(kWidth);
  const double deg = M_PI / 180;
  double phi = grid.longitudeDeg[col] * deg;
  if (phi < 0) phi += 2 * M_PI;
  const int64_t sampled = sky::ringPixelAt(kNside, {(90 - grid.latitudeDeg[row]) * deg, phi});
  const int64_t region = sky::ringPixelAt(2, sky::ringPixelCentre(kNside, sampled));
  sky::Progress progress;
  sky::SensitivityOptions o;
  o.unit = sky::SensitivityUnit::Regions;
  o.regionNside = 2;
  o.repeats = 4;
  o.seed = 7;
  const auto r = sky::sensitivity(model, maps, o, progress);
  ASSERT_EQ(r.importance.size(), 48u);
  for (size_t k = 0; k < r.importance.size(); ++k) {
    if (static_cast<int64_t>(k) == region) {
      EXPECT_GT(r.importance[k], 0.3) << k;  // |N(0,1)| has mean 0.8
    } else {
      EXPECT_EQ(r.importance[k], 0.0) << k;  // noise elsewhere never reaches the pixel
    }
  }
  // Each repeat draws new noise.
  const auto& reps = r.repeats[static_cast<size_t>(region)];
  EXPECT_NE(reps[0], reps[1]);
  EXPECT_NE(reps[1], reps[2]);
  const sky::SkyMap m = sky::importanceMap(r);
  EXPECT_EQ(m.nside(), 2);
  EXPECT_EQ(m.field(0)[static_cast<size_t>(region)], r.importance[static_cast<size_t>(region)]);
}

TEST(Sensitivity, BadRequestsGetSpecificErrors) {
  std::vector<int> labels;
  const auto maps = makeMaps(1, labels, 1);
  auto model = lowMultipoleModel();
  sky::Progress progress;
  auto message = [&](sky::SensitivityOptions o) {
    try {
      sky::sensitivity(model, maps, o, progress);
    } catch (const sky::SkyError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  sky::SensitivityOptions o;
  o.repeats = 0;
  EXPECT_NE(message(o).find("repeats must be >= 1"), std::string::npos);
  o.repeats = 1;
  o.bandWidth = 100;
  EXPECT_NE(message(o).find("does not fit"), std::string::npos);
  o.unit = sky::SensitivityUnit::Regions;
  o.regionNside = 32;
  EXPECT_NE(message(o).find("no larger than"), std::string::npos);
  o.regionNside = 4;
  o.level = sky::NoiseLevel::CosmicVariance;
  EXPECT_NE(message(o).find("defined per band"), std::string::npos);
}

TEST(Faithfulness, TheRegionAModelReadsIsDeletedFirstByAFaithfulAttribution) {
  // Output: the sum over a 8 x 16 box of a 16 x 32 image; a faithful attribution marks the box.
  const int h = 16, w = 32;
  auto inBox = [](size_t p) { return (p / 32) >= 4 && (p / 32) < 12 && (p % 32) >= 8 && (p % 32) < 24; };
  skytest::FunctionModel model({1, h, w}, 1, [&](const std::vector<double>& chw) {
    double s = 0;
    for (size_t p = 0; p < chw.size(); ++p)
      if (inBox(p)) s += chw[p];
    return std::vector<double>{s};
  });
  sky::Image image(1, h, w, 1.0), faithful(1, h, w, 0.0);
  for (size_t p = 0; p < image.data().size(); ++p)
    faithful.data()[p] = inBox(p) ? 1.0 + 1e-3 * static_cast<double>(p % 7) : 0.0;
  sky::Progress progress;
  sky::FaithfulnessOptions o;
  o.steps = 8;  // 64 pixels a step; the box holds 128 = 2 steps
  const auto c = sky::imageFaithfulness(model, image, faithful, o, progress);
  ASSERT_EQ(c.deletion.size(), 9u);
  EXPECT_EQ(c.deletion[0], 128.0);
  EXPECT_EQ(c.deletion[1], 64.0);
  EXPECT_EQ(c.deletion[2], 0.0);  // the box is gone after 2 of 8 steps
  EXPECT_EQ(c.insertion[2], 128.0);
  EXPECT_EQ(c.deletion.back(), 0.0);
  EXPECT_EQ(c.insertion.front(), 0.0);
  // The faithful order beats the random one on both curves.
  EXPECT_LT(c.deletionArea, c.randomDeletionArea);
  EXPECT_GT(c.insertionArea, c.randomInsertionArea);
  // Trapezoid area of the deletion curve: (128+64)/2 + (64+0)/2 over 8 steps = 16.
  EXPECT_DOUBLE_EQ(c.deletionArea, 16.0);
  // An attribution that points away from the box does worse than random.
  sky::Image wrong(1, h, w);
  for (size_t p = 0; p < wrong.data().size(); ++p) wrong.data()[p] = inBox(p) ? -1.0 : 1.0;
  EXPECT_GT(sky::imageFaithfulness(model, image, wrong, o, progress).deletionArea, c.randomDeletionArea);
  EXPECT_THROW(sky::imageFaithfulness(model, image, sky::Image(1, h, w + 1), o, progress), sky::SkyError);
  o.steps = 0;
  EXPECT_THROW(sky::imageFaithfulness(model, image, faithful, o, progress), sky::SkyError);
}

TEST(Faithfulness, HealpixPixelsAreMaskedAndFilledAsTheCardSays) {
  std::vector<int> labels;
  const auto maps = makeMaps(1, labels, 4);
  auto model = lowMultipoleModel();
  // Attribution: the map's own squared values (the pixels carrying the power go first).
  std::vector<double> a(maps[0].field(0).begin(), maps[0].field(0).end());
  for (double& x : a) x *= x;
  const sky::SkyMap attribution(kNside, sky::Ordering::Ring, std::vector<std::vector<double>>{a});
  sky::Progress progress;
  sky::FaithfulnessOptions o;
  o.steps = 10;
  const auto c = sky::mapFaithfulness(model, maps[0], attribution, o, progress);
  EXPECT_NEAR(c.deletion.front(), sky::scoreMaps(model, maps, 0)[0], 1e-12);
  EXPECT_NEAR(c.deletion.back(), 0.0, 1e-12);  // every pixel masked and filled with 0
  EXPECT_LT(c.deletionArea, c.randomDeletionArea);
}

// The one-map cuts a retrained ablation uses are the maps the ablation itself scores.
TEST(Ablation, OneMapCutsEqualTheCurvesMaps) {
  std::vector<int> labels;
  const auto maps = makeMaps(4, labels, 3);
  skytest::FunctionModel power({1, kWidth / 2, kWidth}, 1, [](const std::vector<double>& chw) {
    double s = 0;
    for (double x : chw) s += x * x;
    return std::vector<double>{s / static_cast<double>(chw.size())};
  });
  sky::Progress progress;
  sky::ScaleAblationOptions scales;
  scales.cut = sky::ScaleCut::RemoveBand;
  scales.grid = {2, 12};
  scales.bandWidth = 5;
  sky::SpotAblationOptions spots;
  spots.cut = sky::SpotCut::KeepCold;
  spots.thresholds = {0.5, 1.5};
  const auto scaleCurve = sky::scaleAblation(power, maps, labels, scales, progress);
  const auto spotCurve = sky::spotAblation(power, maps, labels, spots, progress);
  for (size_t c = 0; c < 2; ++c) {
    std::vector<sky::SkyMap> byScale, bySpot;
    for (const auto& m : maps) {
      byScale.push_back(sky::scaleCutMap(m, scales, c));
      bySpot.push_back(sky::spotCutMap(m, spots, c));
    }
    const auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); };
    EXPECT_NEAR(mean(sky::scoreMaps(power, byScale, 0)), scaleCurve.points[c].meanOutput, 1e-12) << c;
    EXPECT_NEAR(mean(sky::scoreMaps(power, bySpot, 0)), spotCurve.points[c].meanOutput, 1e-12) << c;
  }
  EXPECT_NE(scaleCurve.points[0].meanOutput, scaleCurve.baseline.meanOutput);
}
