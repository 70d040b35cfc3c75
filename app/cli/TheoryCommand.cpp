#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "io/Csv.h"
#include "simulate/TheorySpectrum.h"
#include "util/Error.h"

namespace cli {

int runTheory(const std::vector<std::string>& argv) {
  const Arguments args(argv,
                       {"lmax", "output", "omega-b", "omega-cdm", "h", "ns", "as", "tau", "amp", "freq", "wid", "centre",
                        "phase", "from", "units", "columns"},
                       {"feature", "force"});
  args.expectPositionals(0, "theory [--feature] [parameters] --lmax L -o CL.csv");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  const int lmax = args.requireInt("lmax");
  sky::checkOutputPath(output, overwrite);

  sky::Cosmology c;
  c.omegaB = args.getDouble("omega-b", c.omegaB);
  c.omegaCdm = args.getDouble("omega-cdm", c.omegaCdm);
  c.h = args.getDouble("h", c.h);
  c.nS = args.getDouble("ns", c.nS);
  c.aS = args.getDouble("as", c.aS);
  c.tau = args.getDouble("tau", c.tau);
  sky::TheorySpectra spectra;
  if (const auto from = args.get("from")) {
    // A Boltzmann-code file: converted to C_l in uK^2 (the feature still applies if asked).
    spectra = sky::readBoltzmannSpectra(*from, sky::parseSpectrumUnits(args.get("units").value_or("dl-uk2")), lmax,
                                        splitList(args.get("columns").value_or("TT,EE,BB,TE")));
  } else {
    spectra = sky::lcdmSpectra(c, lmax);
  }
  if (args.has("feature")) {
    sky::OscillatoryFeature f;
    f.amplitude = args.getDouble("amp", f.amplitude);
    f.frequency = args.getDouble("freq", f.frequency);
    f.width = args.getDouble("wid", f.width);
    f.centre = args.getDouble("centre", f.centre);
    f.phase = args.getDouble("phase", f.phase);
    spectra = sky::withFeature(spectra, f, sky::acousticScales(c).comovingDistance);
  }
  std::vector<double> ell(lmax + 1);
  for (int l = 0; l <= lmax; ++l) ell[l] = l;
  sky::writeCsv(output, {{"ell", "TT", "EE", "BB", "TE"}, {ell, spectra.tt, spectra.ee, spectra.bb, spectra.te}},
                overwrite);
  return 0;
}

}  // namespace cli
