// The bad-input suite: one row per hostile or unlucky input, across every command. Each row
// runs the real skyinterpret-cli and checks the exit code of the README's table, a specific
// message, that no internal error was reported, and that no file appeared (no half-written
// output, no leftover temporary). Placeholders in a row's arguments:
//   DIR      a scratch directory of this row (with the broken files made below)
//   DATA     tests/data/sky      MODELS  tests/data/models      DEMO  the demo model
//   SHARED   datasets made once for every row (see sharedFixtures)
//   HOSTILE  the misbehaving models of HostileModels.cpp
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "TestSupport.h"
#include "cli/CliRun.h"
#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "sky/SkyMap.h"

namespace {

namespace fs = std::filesystem;
using skytest::cli;
using skytest::CliRun;
using skytest::fileCountBelow;
using skytest::ScratchDir;

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

void run(const std::string& args) {
  const CliRun r = cli(args);
  if (r.exitCode != 0) throw std::runtime_error("fixture command failed: " + args + "\n" + r.output);
}

// Datasets shared by every row, made once per build tree (rows run as separate processes, two
// at a time): built in a private directory and renamed into place, so a reader never sees half.
fs::path sharedFixtures() {
  const fs::path root = fs::path(SKY_BAD_INPUT_SHARED);
  if (fs::exists(root / "ready")) return root;
  ScratchDir tmp;
  const fs::path d = tmp.path() / "shared";
  fs::create_directories(d);
  run("simulate --demo --count 3 --seed 5 --out " + (d / "demo").string());
  run("simulate --nside 16 --count 2 --seed 5 --out " + (d / "fits").string());
  fs::copy_file(d / "demo" / "sim_000001_feature.npy", d / "img.npy");
  std::vector<double> attribution(64 * 128, 0.5);
  sky::writeNpy(d / "attr.npy", {1, 1, 1, 64, 128}, std::span<const double>(attribution));
  attribution[77] = std::nan("");
  sky::writeNpy(d / "attr_nan.npy", {1, 1, 1, 64, 128}, std::span<const double>(attribution));
  // A map whose values overflow when squared (the spectrum must not come out NaN).
  std::vector<double> values(12 * 8 * 8);
  for (size_t p = 0; p < values.size(); ++p) values[p] = p % 2 ? 1e308 : -1e308;
  sky::writeHealpixFits(sky::SkyMap(8, sky::Ordering::Ring, {values}), d / "huge.fits");
  // A manifest with a seed that is not a number.
  fs::create_directories(d / "badseed");
  fs::copy_file(d / "demo" / "sim_000000_lcdm.npy", d / "badseed" / "a.npy");
  fs::copy_file(d / "demo" / "sim_000001_feature.npy", d / "badseed" / "b.npy");
  std::ofstream(d / "badseed" / "manifest.csv") << "file,label,seed\na.npy,0,abc\nb.npy,1,2\n";
  std::ofstream(d / "ready") << "ok\n";
  fs::create_directories(root.parent_path());
  std::error_code ec;
  fs::rename(d, root, ec);  // another process may have won the race: then use its copy
  return root;
}

struct BadInput {
  std::string name, args;
  int exitCode;
  std::string message;
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, FailsWithSpecificMessageAndNoOutput) {
  const fs::path shared = sharedFixtures();
  ScratchDir dir;
  std::ofstream(dir / "notfits.fits") << "plain text";
  fs::copy_file(skytest::dataPath("sky/tqu_n16.fits"), dir / "cut.fits");
  fs::resize_file(dir / "cut.fits", 30000);
  const std::vector<double> wrongAspect(30 * 64, 1.0);
  sky::writeNpy(dir / "wide.npy", {30, 64}, std::span<const double>(wrongAspect));
  std::vector<double> withNan(2048, 0.5);
  withNan[100] = std::nan("");
  sky::writeNpy(dir / "nan.npy", {1, 32, 64}, std::span<const double>(withNan));
  const std::vector<double> threeChannels(3 * 2048, 0.1);
  sky::writeNpy(dir / "tqu.npy", {3, 32, 64}, std::span<const double>(threeChannels));
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  fs::create_directories(dir / "sub");

  std::string args = GetParam().args;
  replaceAll(args, "SHARED", shared.string());
  replaceAll(args, "HOSTILE", SKY_HOSTILE_MODELS_DIR);
  replaceAll(args, "DEMO", SKY_RESOURCES_DIR "/demo/demo_model.pt");
  replaceAll(args, "DIR", dir.path().string());
  replaceAll(args, "DATA", SKY_TEST_DATA_DIR "/sky");
  replaceAll(args, "MODELS", SKY_TEST_DATA_DIR "/models");
  const size_t filesBefore = fileCountBelow(dir.path()), sharedBefore = fileCountBelow(shared);
  const CliRun r = cli(args);
  EXPECT_EQ(r.exitCode, GetParam().exitCode) << r.output;
  EXPECT_NE(r.output.find(GetParam().message), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("internal error"), std::string::npos) << r.output;
  EXPECT_EQ(fileCountBelow(dir.path()), filesBefore) << "a failed command left a file behind";
  EXPECT_EQ(fileCountBelow(shared), sharedBefore) << "a failed command wrote beside its inputs";
  struct stat st {};
  ASSERT_EQ(::stat((dir / "fifo").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the FIFO was replaced";
  EXPECT_TRUE(fs::is_directory(dir / "sub"));
}

const std::string kExplain = "explain --model MODELS/cnn1.pt --input MODELS/x_cnn1_nchw.npy ";
const std::string kDemoExplain = "explain --model DEMO --input SHARED/img.npy ";

INSTANTIATE_TEST_SUITE_P(
    Cases, CliBadInput,
    ::testing::Values(
        // Inputs that are missing, not files, or not what they claim.
        BadInput{"MissingFile", "info DIR/none.fits", 3, "no such file"},
        BadInput{"NotFits", "info DIR/notfits.fits", 4, "not a FITS file"},
        BadInput{"FitsIsADirectory", "info DIR/sub", 3, "is a directory"},
        BadInput{"FitsIsAFifo", "info DIR/fifo", 3, "is a FIFO"},
        BadInput{"NpyIsAFifo", "reproject DIR/fifo --nside 8 -o DIR/o.fits", 3, "is a FIFO"},
        BadInput{"Truncated", "project DIR/cut.fits --xsize 64 -o DIR/o.npy", 5, "truncated"},
        BadInput{"NpyIsNotFits", "info DATA/img_32x64.npy", 4, "not a FITS file"},
        BadInput{"ReprojectDirectory", "reproject DIR/sub --nside 8 -o DIR/o.fits", 3, "is a directory"},
        BadInput{"ReprojectMissing", "reproject DIR/none.npy --nside 8 -o DIR/o.fits", 3, "no such file"},
        BadInput{"NpyInputIsText", "reproject DIR/notfits.fits --nside 8 -o DIR/o.fits", 4, "not a readable .npy file"},
        BadInput{"MissingModel",
                 "explain --model DIR/none.pt --input DATA/img_32x64.npy --method saliency -o DIR/a.npy", 3,
                 "no such model file"},
        BadInput{"ModelIsADirectory",
                 "explain --model DIR/sub --input DATA/img_32x64.npy --method saliency -o DIR/a.npy", 3,
                 "is a directory"},
        BadInput{"NotTorchScript",
                 "explain --model DATA/T_n16_0.fits --input MODELS/x_cnn1_nchw.npy --method saliency -o DIR/a.npy", 4,
                 "not a TorchScript model"},
        BadInput{"ExplainInputIsADirectory",
                 "explain --model MODELS/cnn1.pt --input DIR/sub --method saliency -o DIR/a.npy", 3, "is a directory"},
        BadInput{"TheoryFromDirectory", "theory --from DIR/sub --lmax 10 -o DIR/t.csv", 3, "is a directory"},
        BadInput{"TheoryLmaxAboveFile", "theory --from DIR/notfits.fits --lmax 100 -o DIR/t.csv", 4,
                 "first column must be l"},
        BadInput{"EvaluateWithoutManifest", "evaluate --model MODELS/cnn1.pt --data DIR", 3, "no manifest"},
        BadInput{"ManifestSeedNotANumber", "evaluate --model DEMO --data SHARED/badseed", 4,
                 "seed 'abc' is not a non-negative integer"},
        BadInput{"FaithfulnessMissingAttribution",
                 "faithfulness --model DEMO --input SHARED/img.npy --attribution DIR/none.npy -o DIR/f.csv", 3,
                 "no such file"},
        // Arguments out of range or malformed.
        BadInput{"XsizeTooSmall", "project DATA/T_n16_0.fits --xsize 1 -o DIR/o.npy", 6, "xsize must be at least 2"},
        BadInput{"UnknownField", "project DATA/T_n16_0.fits --xsize 8 --fields Q -o DIR/o.npy", 6,
                 "field 'Q' is not in the map"},
        BadInput{"NsideNotPowerOfTwo", "reproject DATA/img_32x64.npy --nside 12 -o DIR/o.fits", 6,
                 "not a power of two"},
        BadInput{"NsideBeyondMemory", "reproject DATA/img_32x64.npy --nside 536870912 -o DIR/o.fits", 6,
                 "GB of memory"},
        BadInput{"NotTwoToOne", "reproject DIR/wide.npy --nside 8 -o DIR/o.fits", 6, "round(columns/2)"},
        BadInput{"LmaxTooHigh", "spectrum DATA/T_n16_0.fits --lmax 100 -o DIR/o.csv", 6, "beyond 4*nside"},
        BadInput{"IterOutOfRange", "spectrum DATA/T_n16_0.fits --iter 1000 -o DIR/o.csv", 6,
                 "--iter 1000 is out of range"},
        BadInput{"UnknownOption", "project DATA/T_n16_0.fits --xsize 8 --bogus 1 -o DIR/o.npy", 2,
                 "unknown option --bogus"},
        BadInput{"MissingOutput", "project DATA/T_n16_0.fits --xsize 8", 2, "--output is required"},
        BadInput{"NotAnInteger", "project DATA/T_n16_0.fits --xsize many -o DIR/o.npy", 2, "expects an integer"},
        BadInput{"FillIsNaN", "project DATA/T_n16_0.fits --xsize 8 --fill nan -o DIR/o.npy", 6,
                 "must be a finite number"},
        BadInput{"GlobalThreadsHuge", "--threads 100000 info DATA/T_n16_0.fits", 6, "threads per core"},
        BadInput{"GlobalThreadsZero", "--threads 0 info DATA/T_n16_0.fits", 2, "positive integer"},
        BadInput{"GlobalThreadsWords", "--threads many info DATA/T_n16_0.fits", 2, "expects an integer"},
        BadInput{"ExplainThreadsHuge", kExplain + "--method saliency --threads 50000 -o DIR/a.npy", 6,
                 "threads per core"},
        BadInput{"UnknownGlobalOption", "--fast info DATA/T_n16_0.fits", 2, "unknown global option --fast"},
        BadInput{"UnknownCommand", "explode DATA/T_n16_0.fits", 2, "unknown command 'explode'"},
        BadInput{"TooFewEvals", kExplain + "--method partition --max-evals 2 -o DIR/a.npy", 6, "at least 3"},
        BadInput{"MaxEvalsBeyondInt", kExplain + "--method partition --max-evals 999999999999 -o DIR/a.npy", 6,
                 "--max-evals 999999999999 is out of range"},
        BadInput{"BatchZero", kExplain + "--method partition --batch-size 0 -o DIR/a.npy", 6,
                 "--batch-size 0 is out of range"},
        BadInput{"BatchHuge", kExplain + "--method partition --batch-size 100000 -o DIR/a.npy", 6, "1 to 4096"},
        BadInput{"BlurLargerThanImage", kExplain + "--method partition --masker blur:100000x100000 -o DIR/a.npy", 6,
                 "larger than the image"},
        BadInput{"PermutationBudgetTooSmall", kExplain + "--method permutation --max-evals 100 -o DIR/a.npy", 6,
                 "too low for the Permutation explainer: it must be at least 2 * features + 1 = 4097"},
        BadInput{"MaskerValueNaN", kExplain + "--method partition --masker value:nan -o DIR/a.npy", 6, "finite number"},
        BadInput{"MaskerUnknown", kExplain + "--method partition --masker noise -o DIR/a.npy", 6,
                 "unknown masker 'noise'"},
        BadInput{"IgStepsHuge", kExplain + "--method integrated-gradients --steps 1000000 -o DIR/a.npy", 6,
                 "--steps 1000000 is out of range (1 to 100000)"},
        BadInput{"NegativeSeed",
                 kExplain + "--method gradient-shap --baselines MODELS/x_cnn1_nchw.npy --seed -1 -o DIR/a.npy", 6,
                 "--seed -1 is out of range"},
        BadInput{"OcclusionWindowTooBig", kExplain + "--method occlusion --window 1x64x64 -o DIR/a.npy", 6,
                 "must fit inside the image"},
        BadInput{"UnknownTarget", kExplain + "--method saliency --target 4 -o DIR/a.npy", 6, "target 4 does not exist"},
        BadInput{"GradientShapNoBaselines", kExplain + "--method gradient-shap --baselines normal:0 -o DIR/a.npy", 2,
                 "normal:N needs N from 1 to 4096"},
        BadInput{"OptionOfAnotherMethod", kExplain + "--method saliency --max-evals 100 -o DIR/a.npy", 2,
                 "--max-evals is not an option of saliency"},
        BadInput{"UnknownMethod", kExplain + "--method lime -o DIR/a.npy", 2, "unknown --method 'lime'"},
        BadInput{"FaithfulnessStepsHuge",
                 "faithfulness --model DEMO --input SHARED/img.npy --attribution SHARED/attr.npy --steps 2000000000 -o "
                 "DIR/f.csv",
                 6, "steps must be from 1 to the number of pixels ranked (8192)"},
        BadInput{"AblateThresholdNaN",
                 "ablate --model DEMO --data SHARED/fits --spots mask-hot --thresholds nan -o DIR/c.csv", 6,
                 "'nan' is not finite"},
        BadInput{"SensitivityRepeatsZero", "sensitivity --model DEMO --data SHARED/fits --repeats 0 -o DIR/s.csv", 6,
                 "--repeats 0 is out of range"},
        BadInput{"TheoryAbsurdParameter", "theory --omega-b -1 --lmax 100 -o DIR/t.csv", 6, "omega_b"},
        BadInput{"SimulateNsideNotPowerOfTwo", "simulate --nside 12 --count 1 --out DIR", 6, "power of two"},
        BadInput{"SimulateCountZero", "simulate --nside 8 --count 0 --out DIR/s", 6, "--count must be between"},
        BadInput{"SimulateUnknownVary", "simulate --nside 8 --count 1 --vary zeta=0:1 --out DIR", 2,
                 "unknown parameter 'zeta'"},
        BadInput{"SimulateResumeForeignDirectory", "simulate --nside 8 --count 1 --resume --out DIR", 6,
                 "no simulate-settings.json"},
        BadInput{"SimulateResumeAndForce", "simulate --nside 8 --count 1 --resume --force --out DIR/s", 2, "give one"},
        BadInput{"TrainUnknownArch", "train --data DIR --arch transformer -o DIR/m.pt", 2, "--arch is cnn or pca-mlp"},
        BadInput{"TrainBatchZero", "train --data SHARED/demo --batch 0 -o DIR/m.pt", 6, "--batch 0 is out of range"},
        // Outputs: never a special file, never two outputs on one path, checked before the work.
        BadInput{"UnwritableDirectory", "project DATA/T_n16_0.fits --xsize 8 -o DIR/missing/o.npy", 8,
                 "does not exist"},
        BadInput{"ReadOnlyFileSystem", "project DATA/T_n16_0.fits --xsize 8 -o /proc/o.npy", 8, "is not writable"},
        BadInput{"ForceOverFifo", "project DATA/T_n16_0.fits --xsize 8 -o DIR/fifo --force", 8, "is a FIFO"},
        BadInput{"ForceOverDirectory", "project DATA/T_n16_0.fits --xsize 8 -o DIR/sub --force", 8, "is a directory"},
        BadInput{"SpectrumOverFifo", "spectrum DATA/T_n16_0.fits -o DIR/fifo --force", 8, "only regular files"},
        BadInput{"PixelsOutIsOutput", "project DATA/T_n16_0.fits --xsize 8 -o DIR/o.npy --pixels-out DIR/o.npy", 6,
                 "name the same file"},
        BadInput{"NpyOutIsOutput", "reproject DATA/img_32x64.npy --nside 8 -o DIR/o.fits --npy-out DIR/./o.fits", 6,
                 "name the same file"},
        BadInput{"HealpixOutIsOutput",
                 kDemoExplain + "--method saliency -o DIR/a.npy --healpix-out DIR/a.npy --nside 8", 6,
                 "name the same file"},
        BadInput{"HealpixOutUnwritable",
                 kDemoExplain + "--method saliency -o DIR/a.npy --healpix-out DIR/missing/a.fits --nside 8", 8,
                 "does not exist"},
        BadInput{"HealpixOutIsFifo",
                 kDemoExplain + "--method saliency -o DIR/a.npy --healpix-out DIR/fifo --nside 8 --force", 8,
                 "is a FIFO"},
        BadInput{"SimulateNoParent", "simulate --nside 8 --count 1 --out DIR/missing/deeper", 8, "does not exist"},
        BadInput{"EvaluateOutputOverFifo", "evaluate --model DEMO --data SHARED/demo -o DIR/fifo --force", 8,
                 "is a FIFO"},
        // Data that is not finite, or models that misbehave.
        BadInput{"NaNInput", "explain --model MODELS/cnn1.pt --input DIR/nan.npy --method saliency -o DIR/a.npy", 5,
                 "NaN"},
        BadInput{"SpectrumOverflows", "spectrum SHARED/huge.fits -o DIR/cl.csv", 5, "overflow when squared"},
        BadInput{"FaithfulnessNaNAttribution",
                 "faithfulness --model DEMO --input SHARED/img.npy --attribution SHARED/attr_nan.npy -o DIR/f.csv", 5,
                 "the attribution has 1 non-finite values"},
        BadInput{"ModelCannotTakeShape",
                 "explain --model MODELS/cnn1.pt --input DIR/tqu.npy --method saliency -o DIR/a.npy", 5,
                 "cannot take images of (3, 32, 64)"},
        BadInput{"FitsWithoutCard",
                 "explain --model MODELS/cnn1.pt --input DATA/T_n16_0.fits --method saliency -o DIR/a.npy", 6,
                 "needs a model card"},
        BadInput{"NaNModelExplain",
                 "explain --model HOSTILE/nan_output.pt --input SHARED/img.npy --method partition -o DIR/a.npy", 5,
                 "non-finite values"},
        BadInput{"NaNModelSaliency",
                 "explain --model HOSTILE/nan_output.pt --input SHARED/img.npy --method saliency -o DIR/a.npy", 5,
                 "non-finite values"},
        BadInput{"NaNModelEvaluate", "evaluate --model HOSTILE/nan_output.pt --data SHARED/demo", 5,
                 "non-finite values"},
        BadInput{"NaNModelAblate",
                 "ablate --model HOSTILE/nan_output.pt --data SHARED/fits --scales lowpass --grid 10 -o DIR/c.csv", 5,
                 "non-finite values"},
        BadInput{"NaNModelSensitivity",
                 "sensitivity --model HOSTILE/nan_output.pt --data SHARED/fits --repeats 1 -o DIR/s.csv", 5,
                 "non-finite values"},
        BadInput{"NaNModelFaithfulness",
                 "faithfulness --model HOSTILE/nan_output.pt --input SHARED/img.npy --attribution SHARED/attr.npy -o "
                 "DIR/f.csv",
                 5, "non-finite values"},
        BadInput{"BatchMissingModel",
                 "batch --model DIR/none.pt --inputs SHARED/img.npy --method saliency --outdir DIR/out", 3,
                 "no such model file"},
        BadInput{
            "ModelWithoutGradients",
            "explain --model HOSTILE/no_gradient.pt --input SHARED/img.npy --method integrated-gradients -o DIR/a.npy",
            5, "gives no input gradients"},
        BadInput{"TrainDiverges",
                 "train --data SHARED/demo --lr 1e12 --batch 2 --epochs 3 --widths 4,4,4 --dense 4 -o DIR/m.pt", 5,
                 "training diverged"},
        BadInput{"CardWithoutFormat",
                 "explain --model HOSTILE/card_no_format.pt --input SHARED/img.npy --method saliency -o DIR/a.npy", 4,
                 "missing required key format"},
        BadInput{"CardFromTheFuture",
                 "explain --model HOSTILE/card_version_99.pt --input SHARED/img.npy --method saliency -o DIR/a.npy", 4,
                 "format version 99 is newer"},
        BadInput{"CardWithoutOutputs",
                 "explain --model HOSTILE/card_no_outputs.pt --input SHARED/img.npy --method saliency -o DIR/a.npy", 4,
                 "missing required key outputs"},
        BadInput{"CardZeroHeight",
                 "explain --model HOSTILE/card_zero_height.pt --input SHARED/img.npy --method saliency -o DIR/a.npy", 4,
                 "input.height must be a whole number"}),
    [](const auto& testInfo) { return testInfo.param.name; });

}  // namespace
