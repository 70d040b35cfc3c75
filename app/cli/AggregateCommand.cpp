// skyinterpret-cli aggregate: explain every map of a dataset and summarise per class: mean
// attribution maps, attribution spectra with scatter, and where |attribution| falls.
#include <cstdio>
#include <filesystem>
#include <set>

#include "Arguments.h"
#include "Commands.h"
#include "ExplainerOptions.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "analysis/Aggregate.h"
#include "io/AtomicFile.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "model/ModelInput.h"
#include "sky/Reprojection.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

int runAggregate(const std::vector<std::string>& argv) {
  std::set<std::string> valued = explainerValuedOptions(), flags = explainerFlagOptions();
  valued.insert({"model", "data", "output", "method", "nside", "spot-sigma", "band-width", "threads"});
  flags.insert("force");
  const Arguments args(argv, valued, withModelFlags(flags));
  args.expectPositionals(0, "aggregate --model M.pt --data DIR --method METHOD [explain options] -o PREFIX");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string prefix = args.require("output");
  const std::string mapsOut = prefix + "_maps.fits", spectraOut = prefix + "_spectra.csv",
                    sharesOut = prefix + "_shares.csv";
  sky::checkOutputPaths({mapsOut, spectraOut, sharesOut}, overwrite);
  const std::string modelPath = args.require("model");
  sky::requireReadableFile(modelPath, "model file");
  const LabelledMaps data = loadLabelledMaps(args.require("data"));
  const int nside = args.getInt("nside", data.maps[0].nside());
  if (!sky::isValidNside(nside))
    throw SkyError(ErrorKind::InvalidArgument, "--nside " + std::to_string(nside) + " is not a power of two");
  auto model = loadModel(modelPath, args);
  // Every map as model input, explained in one batch; each attribution back on the sphere.
  sky::ImageBatch batch;
  for (size_t i = 0; i < data.maps.size(); ++i) {
    const sky::Image image = sky::modelInput(data.maps[i], model->card(), "map " + std::to_string(i));
    batch.shape = {image.channels(), image.height(), image.width()};
    batch.nchw.insert(batch.nchw.end(), image.data().begin(), image.data().end());
    ++batch.count;
  }
  const std::string method = args.require("method");
  sky::Progress progress = terminalProgress(method);
  const sky::Attribution a = explainWithArguments(args, method, *model, batch, progress);
  std::vector<sky::SkyMap> attributions;
  const size_t per = static_cast<size_t>(a.shape.size());
  for (int n = 0; n < a.images; ++n) {
    // The first explained output of each image, channel 0.
    const size_t offset = static_cast<size_t>(n) * static_cast<size_t>(a.targetsPerImage) * per;
    const sky::Image image(a.shape.channels, a.shape.height, a.shape.width,
                           std::vector<double>(a.values.begin() + static_cast<std::ptrdiff_t>(offset),
                                               a.values.begin() + static_cast<std::ptrdiff_t>(offset + per)));
    attributions.push_back(sky::reprojectToHealpix(image, nside));
  }
  sky::AggregateOptions o;
  o.spotSigma = args.getDouble("spot-sigma", 2.0);
  o.bandWidth = args.getInt("band-width", 10);
  const sky::AttributionAggregate agg = sky::aggregateAttributions(data.maps, attributions, data.labels, o);
  const auto& c0 = agg.classes[0];
  const auto& c1 = agg.classes[1];
  // Maps: mean and mean |attribution| per class (UNSEEN for a class without maps).
  auto orUnseen = [&](const sky::ClassAggregate& c, const std::vector<double>& v) {
    return c.maps > 0 ? v : std::vector<double>(v.size(), sky::kUnseen);
  };
  sky::FitsWriteOptions fo;
  fo.overwrite = overwrite;
  fo.extraComments = {"method " + method + "; " + std::to_string(c0.maps) + " LambdaCDM and " +
                      std::to_string(c1.maps) + " feature maps"};
  sky::writeHealpixFits(
      sky::SkyMap(agg.nside, sky::Ordering::Ring,
                  {orUnseen(c0, c0.mean), orUnseen(c1, c1.mean), orUnseen(c0, c0.meanAbs), orUnseen(c1, c1.meanAbs)},
                  {"MEAN_LCDM", "MEAN_FEATURE", "MEAN_ABS_LCDM", "MEAN_ABS_FEATURE"}, "attribution"),
      mapsOut, fo);
  std::vector<double> ell(c0.maps ? c0.clMean.size() : c1.clMean.size());
  for (size_t l = 0; l < ell.size(); ++l) ell[l] = static_cast<double>(l);
  auto orNan = [&](const std::vector<double>& v) { return v.empty() ? std::vector<double>(ell.size(), NAN) : v; };
  sky::writeCsv(spectraOut,
                {{"ell", "cl_mean_lcdm", "cl_std_lcdm", "cl_mean_feature", "cl_std_feature"},
                 {ell, orNan(c0.clMean), orNan(c0.clStd), orNan(c1.clMean), orNan(c1.clStd)}},
                overwrite);
  // Shares: one row per class (label), columns mask_edge, hot, cold, then one per l-band.
  sky::CsvTable shares;
  shares.header = {"label", "maps", "mask_edge", "hot", "cold"};
  for (size_t b = 0; b < agg.bandLmin.size(); ++b)
    shares.header.push_back("l" + std::to_string(agg.bandLmin[b]) + "_" + std::to_string(agg.bandLmax[b]));
  shares.columns.resize(shares.header.size());
  for (int label = 0; label < 2; ++label) {
    const auto& c = agg.classes[static_cast<size_t>(label)];
    std::vector<double> row = {static_cast<double>(label), static_cast<double>(c.maps), c.maskEdgeShare, c.hotShare,
                               c.coldShare};
    row.insert(row.end(), c.bandShare.begin(), c.bandShare.end());
    for (size_t k = 0; k < row.size(); ++k) shares.columns[k].push_back(c.maps > 0 || k < 2 ? row[k] : NAN);
  }
  sky::writeCsv(sharesOut, shares, overwrite);
  std::fprintf(stderr, "\n%s of %d maps: wrote %s, %s, %s\n", method.c_str(), a.images, mapsOut.c_str(),
               spectraOut.c_str(), sharesOut.c_str());
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
