#pragma once
// The demo: skies of both classes that the shipped demo model (resources/demo/demo_model.pt)
// was trained to tell apart. The demo feature is the seed's formula with parameters a small
// CNN can see on 64x128 images of nside-32 maps: amplitude 0.8 centred at k = 0.0036/Mpc
// (l ~ 50), width 0.0015/Mpc, phase pi/2 at low frequency (a localised excess of power).
#include <cstdint>
#include <vector>

#include "simulate/SkySimulator.h"
#include "simulate/TheorySpectrum.h"

namespace sky {

struct DemoSettings {
  Cosmology cosmology;         // Planck 2018
  OscillatoryFeature feature;  // the demo feature above
  SkyOptions sky;              // nside 32, temperature only, no beam, noise or mask
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
