#include "PhysicsOptions.h"

namespace cli {

const std::vector<std::string>& physicsOptionNames() {
  static const std::vector<std::string> names = {"omega-b", "omega-cdm", "h",   "ns",     "as",   "tau",
                                                 "amp",     "freq",      "wid", "centre", "phase"};
  return names;
}

std::map<std::string, double> physicsParameters(const Arguments& args, const sky::Cosmology& c,
                                                const sky::OscillatoryFeature& f) {
  const std::map<std::string, double> defaults = {{"omega-b", c.omegaB},
                                                  {"omega-cdm", c.omegaCdm},
                                                  {"h", c.h},
                                                  {"ns", c.nS},
                                                  {"as", c.aS},
                                                  {"tau", c.tau},
                                                  {"amp", f.amplitude},
                                                  {"freq", f.frequency},
                                                  {"wid", f.width},
                                                  {"centre", f.centre},
                                                  {"phase", f.phase}};
  std::map<std::string, double> out;
  for (const auto& [name, value] : defaults) out[name] = args.getDouble(name, value);
  return out;
}

sky::Cosmology cosmologyOf(const std::map<std::string, double>& p) {
  sky::Cosmology c;
  c.omegaB = p.at("omega-b");
  c.omegaCdm = p.at("omega-cdm");
  c.h = p.at("h");
  c.nS = p.at("ns");
  c.aS = p.at("as");
  c.tau = p.at("tau");
  return c;
}

sky::OscillatoryFeature featureOf(const std::map<std::string, double>& p) {
  sky::OscillatoryFeature f;
  f.amplitude = p.at("amp");
  f.frequency = p.at("freq");
  f.width = p.at("wid");
  f.centre = p.at("centre");
  f.phase = p.at("phase");
  return f;
}

}  // namespace cli
