#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "PhysicsOptions.h"
#include "io/Csv.h"
#include "simulate/TheorySpectrum.h"
#include "util/Error.h"

namespace cli {

int runTheory(const std::vector<std::string>& argv) {
  const Arguments args(argv,
                       {"lmax", "output", "omega-b", "omega-cdm", "h", "ns", "as", "tau", "amp", "freq", "wid",
                        "centre", "phase", "from", "units", "columns"},
                       {"feature", "force"});
  args.expectPositionals(0, "theory [--feature] [parameters] --lmax L -o CL.csv");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  const int lmax = args.requireInt("lmax");
  sky::checkOutputPath(output, overwrite);

  const auto parameters = physicsParameters(args, sky::Cosmology{}, sky::OscillatoryFeature{});
  const sky::Cosmology c = cosmologyOf(parameters);
  sky::TheorySpectra spectra;
  if (const auto from = args.get("from")) {
    // A Boltzmann-code file: converted to C_l in uK^2 (the feature still applies if asked).
    spectra = sky::readBoltzmannSpectra(*from, sky::parseSpectrumUnits(args.get("units").value_or("dl-uk2")), lmax,
                                        splitList(args.get("columns").value_or("TT,EE,BB,TE")));
  } else {
    spectra = sky::lcdmSpectra(c, lmax);
  }
  if (args.has("feature")) {
    spectra = sky::withFeature(spectra, featureOf(parameters), sky::acousticScales(c).comovingDistance);
  }
  std::vector<double> ell(lmax + 1);
  for (int l = 0; l <= lmax; ++l) ell[l] = l;
  sky::writeCsv(output, {{"ell", "TT", "EE", "BB", "TE"}, {ell, spectra.tt, spectra.ee, spectra.bb, spectra.te}},
                overwrite);
  return 0;
}

}  // namespace cli
