#pragma once
// The demo: skies of both classes that the shipped demo model (resources/demo/demo_model.pt)
// was trained to tell apart. They look like real data (nside 128, a 1-degree beam, white noise
// of 40 uK-arcmin) while the model keeps a small 64x128 input grid. The demo feature is the
// seed's formula with parameters a small CNN can see on that grid: amplitude 0.8 centred at
// k = 0.0036/Mpc (l ~ 50), width 0.0015/Mpc, phase pi/2 at low frequency (a localised excess
// of power).
#include <cstdint>
#include <vector>

#include "simulate/SkySimulator.h"
#include "simulate/TheorySpectrum.h"

namespace sky {

struct DemoSettings {
  Cosmology cosmology;         // Planck 2018
  OscillatoryFeature feature;  // the demo feature above
  SkyOptions sky;              // nside 128, temperature only, 60' beam, 40 uK-arcmin noise, no mask
  int imageWidth = 128;        // cartview xsize of the model input
};
DemoSettings demoSettings();

struct DemoSky {
  SkyMap map;
  int label = 0;  // 0 = LambdaCDM, 1 = feature
  uint64_t seed = 0;
};

// perClass skies of each class, alternating LambdaCDM / feature, seeded from `seed`.
std::vector<DemoSky> makeDemoSkies(int perClass, uint64_t seed);

}  // namespace sky
