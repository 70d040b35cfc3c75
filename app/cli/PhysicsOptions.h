#pragma once
// The cosmological and oscillatory-feature parameters as command-line options, shared by
// `theory` and `simulate` (whose manifest uses the same names as its parameter columns).
#include <map>
#include <string>
#include <vector>

#include "Arguments.h"
#include "simulate/TheorySpectrum.h"

namespace cli {

// omega-b, omega-cdm, h, ns, as, tau, amp, freq, wid, centre, phase.
const std::vector<std::string>& physicsOptionNames();

// Every parameter by option name: the given defaults, overridden by the options given.
std::map<std::string, double> physicsParameters(const Arguments& args, const sky::Cosmology& cosmology,
                                                const sky::OscillatoryFeature& feature);
sky::Cosmology cosmologyOf(const std::map<std::string, double>& parameters);
sky::OscillatoryFeature featureOf(const std::map<std::string, double>& parameters);

}  // namespace cli
