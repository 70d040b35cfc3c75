// skyinterpret-cli faithfulness: deletion and insertion curves of an attribution (and of a
// random order for reference), with their areas, to rank explainers on one map.
#include <cstdio>
#include <filesystem>

#include "Arguments.h"
#include "Commands.h"
#include "ExplainIo.h"
#include "Interrupt.h"
#include "ModelOptions.h"
#include "analysis/Faithfulness.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "model/ModelInput.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

int runFaithfulness(const std::vector<std::string>& argv) {
  const Arguments args(argv,
                       {"model", "input", "attribution", "output", "steps", "target", "baseline", "seed", "threads"},
                       withModelFlags({"force"}));
  args.expectPositionals(
      0, "faithfulness --model M.pt --input MAP.fits|X.npy --attribution ATTR.npy|A.fits -o CURVES.csv");
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::string output = args.require("output");
  sky::checkOutputPath(output, overwrite);
  const std::string modelPath = args.require("model"), input = args.require("input"),
                    attribution = args.require("attribution");
  for (const auto& path : {modelPath, input, attribution}) sky::requireReadableFile(path);
  sky::FaithfulnessOptions o;
  o.steps = args.getInt("steps", 20);
  o.target = args.getInt("target", 0);
  o.baseline = args.getDouble("baseline", 0.0);
  o.seed = static_cast<uint64_t>(args.getInt("seed", 1, 0));
  auto model = loadModel(modelPath, args);
  sky::Progress progress = terminalProgress("faithfulness");
  const bool mapInput = input.ends_with(".fits") || input.ends_with(".fit");
  sky::FaithfulnessCurves c;
  if (mapInput && (attribution.ends_with(".fits") || attribution.ends_with(".fit"))) {
    c = sky::mapFaithfulness(*model, sky::readHealpixFits(input, nullptr, nullptr, sky::Ordering::Ring),
                             sky::readHealpixFits(attribution, nullptr, nullptr, sky::Ordering::Ring), o,
                             progress);  // HEALPix pixels
  } else {
    sky::Image image;
    if (mapInput) {
      image = sky::modelInput(sky::readHealpixFits(input, nullptr, nullptr, sky::Ordering::Ring), model->card(), input);
    } else {
      const sky::NpyArray x = sky::readNpy(input);
      if (x.shape.size() != 3)
        throw SkyError(ErrorKind::InvalidData, input + ": shape " + x.shapeText() + " is not one image (C, H, W)");
      image = sky::Image(static_cast<int>(x.shape[0]), static_cast<int>(x.shape[1]), static_cast<int>(x.shape[2]),
                         x.values);
    }
    c = sky::imageFaithfulness(*model, image, readAttributionImage(attribution, o.target), o, progress);
  }
  sky::writeCsv(output,
                {{"fraction", "deletion", "insertion", "random_deletion", "random_insertion"},
                 {c.fraction, c.deletion, c.insertion, c.randomDeletion, c.randomInsertion}},
                overwrite);
  std::printf("deletion area %.6g (random %.6g), insertion area %.6g (random %.6g)\n", c.deletionArea,
              c.randomDeletionArea, c.insertionArea, c.randomInsertionArea);
  reportModelForward(*model);
  return 0;
}

}  // namespace cli
