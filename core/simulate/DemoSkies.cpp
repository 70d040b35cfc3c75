#include "simulate/DemoSkies.h"

#include <numbers>

#include "util/Error.h"

namespace sky {

DemoSettings demoSettings() {
  DemoSettings d;
  d.feature.amplitude = 0.8;
  d.feature.centre = 0.0036;
  d.feature.width = 0.0015;
  d.feature.frequency = 1.0;
  d.feature.phase = std::numbers::pi / 2;
  d.sky.nside = 128;
  d.sky.beamFwhmArcmin = 60.0;
  d.sky.noiseMicroKArcmin = 40.0;
  return d;
}

std::vector<DemoSky> makeDemoSkies(int perClass, uint64_t seed) {
  if (perClass < 1 || perClass > 10000)
    throw SkyError(ErrorKind::InvalidArgument, "demo sky count must be 1..10000 per class");
  const DemoSettings d = demoSettings();
  const int lmax = 3 * d.sky.nside - 1;
  const TheorySpectra lcdm = lcdmSpectra(d.cosmology, lmax);
  const TheorySpectra feature = withFeature(lcdm, d.feature, acousticScales(d.cosmology).comovingDistance);
  std::vector<DemoSky> skies;
  for (int i = 0; i < 2 * perClass; ++i) {
    SkyOptions o = d.sky;
    o.seed = seed * 1000003ULL + static_cast<uint64_t>(i);  // the same seeds as `simulate --seed`
    skies.push_back({simulateSky(i % 2 ? feature : lcdm, o), i % 2, o.seed});
  }
  return skies;
}

}  // namespace sky
