#include <iostream>

#include "Arguments.h"
#include "Commands.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "sky/PowerSpectrum.h"
#include "util/Error.h"
#include "util/Finite.h"

namespace cli {

int runSpectrum(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"lmax", "iter", "output", "cross"}, {"force", "no-pol", "no-fsky-correction"});
  args.expectPositionals(1, "spectrum MAP.fits [--lmax L] [--iter I] -o CL.csv");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  sky::checkOutputPath(output, overwrite);

  sky::SpectrumOptions options;
  options.lmax = args.getInt("lmax", -1);
  options.iterations = args.getInt("iter", 3, 0, 100);
  options.polarised = !args.has("no-pol");
  options.correctForSkyFraction = !args.has("no-fsky-correction");
  if (args.has("lmax") && options.lmax < 0) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument, "--lmax must be non-negative");
  }
  const sky::SkyMap map = sky::readHealpixFits(args.positional(0, "MAP.fits"), nullptr, nullptr, sky::Ordering::Ring);
  const auto crossPath = args.get("cross");
  const sky::PowerSpectrum ps =
      crossPath
          ? sky::crossSpectrum(map, sky::readHealpixFits(*crossPath, nullptr, nullptr, sky::Ordering::Ring), options)
          : sky::anafast(map, options);
  for (const auto& cl : ps.cl) {
    sky::requireFinite(
        std::span<const double>(cl), "the spectrum",
        "; map values this large overflow when squared (rescale the map, e.g. K to uK is fine, 1e300 is not)");
  }
  if (ps.skyFraction < 1.0) {
    std::cerr << "note: " << (1.0 - ps.skyFraction) * 100 << "% of the sky is masked (fsky = " << ps.skyFraction
              << "); "
              << (ps.skyFractionCorrected ? "wrote the pseudo-C_l divided by fsky"
                                          : "wrote the raw pseudo-C_l (masked pixels as 0)")
              << "\n";
  }
  sky::CsvTable table;
  table.header.push_back("ell");
  std::vector<double> ell(ps.lmax() + 1);
  for (int l = 0; l <= ps.lmax(); ++l) ell[l] = l;
  table.columns.push_back(std::move(ell));
  for (size_t k = 0; k < ps.names.size(); ++k) {
    table.header.push_back(ps.names[k]);
    table.columns.push_back(ps.cl[k]);
  }
  sky::writeCsv(output, table, overwrite);
  return 0;
}

}  // namespace cli
