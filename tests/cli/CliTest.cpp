// Runs the real skyinterpret-cli binary: outputs, exit codes and the messages users see.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include "TestSupport.h"
#include "cli/CliRun.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "io/JsonValue.h"
#include "io/Npy.h"
#include "model/ModelCard.h"
#include "simulate/DemoSkies.h"
#include "simulate/Manifest.h"

using skytest::cli;
using skytest::CliRun;
using skytest::dataPath;
using skytest::ScratchDir;

namespace {

std::string data(const std::string& name) { return dataPath("sky/" + name).string(); }

}  // namespace

TEST(Cli, HelpAndVersion) {
  const CliRun help = cli("--help");
  EXPECT_EQ(help.exitCode, 0);
  for (const char* command : {"info", "project", "reproject", "spectrum"}) {
    EXPECT_NE(help.output.find(command), std::string::npos) << command;
  }
  EXPECT_NE(cli("--version").output.find(SKY_VERSION), std::string::npos);
  EXPECT_EQ(cli("").exitCode, 2);
  EXPECT_EQ(cli("frobnicate").exitCode, 2);
}

// Commands that need no model start without LibTorch (its 295 libraries take ~0.5 s to load);
// the others run in skyinterpret-cli-model, which has it. LD_DEBUG=files lists every library
// the dynamic loader opens, in both processes.
TEST(Cli, OnlyModelCommandsLoadLibTorch) {
  const auto loadsTorch = [](const std::string& args) {
    const CliRun run = cli(args, "LD_DEBUG=files");
    return run.output.find("libtorch_cpu.so") != std::string::npos;
  };
  EXPECT_FALSE(loadsTorch("--help"));
  EXPECT_FALSE(loadsTorch("explain --help"));
  EXPECT_FALSE(loadsTorch("info " + data("tqu_n16_masked.fits")));
  EXPECT_TRUE(loadsTorch("evaluate --model /nonexistent.pt --data /nonexistent"));
  // ...which still gives its own specific error there.
  const CliRun missing = cli("evaluate --model /nonexistent.pt --data /nonexistent");
  EXPECT_EQ(missing.exitCode, 3) << missing.output;
  EXPECT_NE(missing.output.find("/nonexistent.pt"), std::string::npos) << missing.output;
}

// A front end installed without its model half says what is missing instead of failing oddly.
TEST(Cli, AMissingModelBackendIsNamed) {
  ScratchDir dir;
  std::filesystem::copy_file(SKY_CLI_PATH, dir / "skyinterpret-cli");
  const CliRun run = skytest::runShell((dir / "skyinterpret-cli").string() + " evaluate --model m.pt --data d");
  EXPECT_EQ(run.exitCode, 1) << run.output;
  EXPECT_NE(run.output.find("needs skyinterpret-cli-model"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("installation is incomplete"), std::string::npos) << run.output;
}

TEST(Cli, InfoDescribesTheMap) {
  const CliRun run = cli("info " + data("tqu_n16_masked.fits"));
  EXPECT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.output.find("nside:    16"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("Q_POLARISATION"), std::string::npos);
  const CliRun json = cli("info --json " + data("t_n32_nest_f64.fits"));
  EXPECT_EQ(json.exitCode, 0);
  EXPECT_NE(json.output.find("\"ordering\": \"NESTED\""), std::string::npos) << json.output;
  EXPECT_NE(json.output.find("\"nside\": 32"), std::string::npos);
}

TEST(Cli, ProjectWritesTheCartviewImageAndPixels) {
  ScratchDir dir;
  const CliRun run = cli("project " + data("T_n16_0.fits") + " --xsize 64 -o " + (dir / "img.npy").string() +
                         " --pixels-out " + (dir / "pix.npy").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const sky::NpyArray img = sky::readNpy(dir / "img.npy");
  EXPECT_EQ(img.shape, (std::vector<size_t>{1, 32, 64}));
  EXPECT_EQ(img.dtype, "f8");
  EXPECT_EQ(img.values, skytest::fixture("T_n16_0_xsize64.npy").values);
  EXPECT_EQ(sky::readNpy(dir / "pix.npy").values, skytest::fixture("pix_nside16_xsize64.npy").values);
  const CliRun qu =
      cli("project " + data("cart_n8_x65.fits") + " --xsize 65 --fields Q,U -o " + (dir / "qu.npy").string());
  ASSERT_EQ(qu.exitCode, 0) << qu.output;
  EXPECT_EQ(sky::readNpy(dir / "qu.npy").shape, (std::vector<size_t>{2, 32, 65}));
}

TEST(Cli, ProjectWarnsAboutAndFillsMaskedPixels) {
  ScratchDir dir;
  const CliRun kept = cli("project " + data("tqu_n16_masked.fits") + " --xsize 40 -o " + (dir / "a.npy").string());
  EXPECT_EQ(kept.exitCode, 0);
  EXPECT_NE(kept.output.find("masked"), std::string::npos);
  const CliRun filled =
      cli("project " + data("tqu_n16_masked.fits") + " --xsize 40 --fill 0 -o " + (dir / "b.npy").string());
  EXPECT_EQ(filled.exitCode, 0);
  for (double v : sky::readNpy(dir / "b.npy").values) ASSERT_FALSE(sky::isMasked(v));
}

TEST(Cli, ReprojectWritesHealpyFitsAndNpy) {
  ScratchDir dir;
  const CliRun run = cli("reproject " + data("img_32x64.npy") + " --nside 16 -o " + (dir / "m.fits").string() +
                         " --npy-out " + (dir / "m.npy").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const sky::SkyMap map = sky::readHealpixFits(dir / "m.fits");
  const auto ref = skytest::fixture("map_from_img_32x64_nside16.npy").values;
  EXPECT_LT(skytest::relativeError(map.field(0), ref), 1e-12);
  EXPECT_EQ(sky::readNpy(dir / "m.npy").shape, (std::vector<size_t>{1, 3072}));
  const CliRun three =
      cli("reproject " + data("reproj_img_3x24x48.npy") + " --nside 8 -o " + (dir / "tqu.fits").string());
  ASSERT_EQ(three.exitCode, 0) << three.output;
  EXPECT_EQ(sky::readHealpixFits(dir / "tqu.fits").fieldCount(), 3);
}

TEST(Cli, SpectrumWritesAnafastCsv) {
  ScratchDir dir;
  const CliRun run = cli("spectrum " + data("tqu_n16.fits") + " -o " + (dir / "cl.csv").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const sky::CsvTable t = sky::readCsv(dir / "cl.csv");
  EXPECT_EQ(t.header, (std::vector<std::string>{"ell", "TT", "EE", "BB", "TE", "EB", "TB"}));
  EXPECT_LT(
      skytest::relativeError(
          t.columns[2], std::span<const double>(skytest::fixture("anafast_tqu_n16_iter3.npy").values.data() + 48, 48)),
      1e-10);
  const CliRun iter0 = cli("spectrum " + data("T_n16_0.fits") + " --lmax 47 --iter 0 -o " + (dir / "c0.csv").string());
  ASSERT_EQ(iter0.exitCode, 0);
  EXPECT_LT(skytest::relativeError(sky::readCsv(dir / "c0.csv").columns[1],
                                   skytest::fixture("T_n16_0_lmax47_iter0.npy").values),
            1e-10);
  const CliRun masked = cli("spectrum " + data("tqu_n16_masked.fits") + " -o " + (dir / "m.csv").string());
  EXPECT_EQ(masked.exitCode, 0);
  EXPECT_NE(masked.output.find("fsky"), std::string::npos) << masked.output;
}

TEST(Cli, ExistingOutputIsKeptWithoutForce) {
  ScratchDir dir;
  const std::string out = (dir / "img.npy").string();
  ASSERT_EQ(cli("project " + data("T_n16_0.fits") + " --xsize 64 -o " + out).exitCode, 0);
  const auto before = std::filesystem::file_size(out);
  const CliRun again = cli("project " + data("T_n16_0.fits") + " --xsize 32 -o " + out);
  EXPECT_EQ(again.exitCode, 7);
  EXPECT_NE(again.output.find("--force"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(out), before);
  EXPECT_EQ(cli("project " + data("T_n16_0.fits") + " --xsize 32 --force -o " + out).exitCode, 0);
  EXPECT_LT(std::filesystem::file_size(out), before);
}

namespace {
std::string model() { return dataPath("models/cnn1.pt").string(); }

// The shap reference images as an NCHW float32 .npy.
std::string referenceInputs(const ScratchDir& dir) {
  const auto x = sky::readNpy(dataPath("models/x_cnn1_nchw.npy"));
  std::vector<float> v(x.values.begin(), x.values.end());
  const auto path = dir / "x.npy";
  sky::writeNpy(path, x.shape, std::span<const float>(v));
  return path.string();
}
}  // namespace

// The generator runs on from image to image, so the first two of three images get the values
// shap gives for those two alone.
TEST(CliExplain, PermutationEqualsShapForTheSameSeed) {
  ScratchDir dir;
  const CliRun run = cli("explain --model " + model() + " --input " + referenceInputs(dir) +
                         " --method permutation --max-evals 4500 --seed 3 -o " + (dir / "perm.npy").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const auto a = sky::readNpy(dir / "perm.npy");
  EXPECT_EQ(a.shape, (std::vector<size_t>{3, 1, 1, 32, 64}));
  const auto ref = sky::readNpy(dataPath("shap/cnn1_perm_mask0_e4500_seed3_values.npy"));
  const std::vector<double> firstTwo(a.values.begin(), a.values.begin() + static_cast<std::ptrdiff_t>(ref.size()));
  EXPECT_LT(skytest::relativeError(firstTwo, ref.values), 1e-4);
  const sky::JsonValue json = sky::JsonValue::parseFile(dir / "perm.json");
  EXPECT_EQ(json["model_rows_evaluated"].number("rows"), 3.0 * 4097);
  EXPECT_EQ(json["parameters"]["seed"].string("seed"), "3");
}

// Exact Shapley values of groups: one player (a one-channel model) gets f(x) - f(0), checked
// against PyTorch's outputs; bands and regions of a demo feature sky add up to f(x) - f(none),
// and the band holding the demo feature (l ~ 50) carries the most.
TEST(CliExplain, ExactShapleyValuesOfChannelsBandsAndRegions) {
  ScratchDir dir;
  const std::string images = referenceInputs(dir);
  const CliRun channels = cli("explain --model " + model() + " --input " + images +
                              " --method exact --groups channels -o " + (dir / "ch.npy").string());
  ASSERT_EQ(channels.exitCode, 0) << channels.output;
  const auto ch = sky::readNpy(dir / "ch.npy");
  EXPECT_EQ(ch.shape, (std::vector<size_t>{3, 1, 1}));
  const auto y = sky::readNpy(dataPath("models/y_cnn1.npy")), y0 = sky::readNpy(dataPath("models/y_cnn1_zeros.npy"));
  for (size_t n = 0; n < 3; ++n) EXPECT_NEAR(ch.values[n], y.values[n] - y0.values[0], 1e-5) << n;

  ASSERT_EQ(cli("simulate --demo --count 1 --seed 11 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const std::string base = "explain --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --input " +
                           (dir / "d" / "sim_000001_feature.fits").string() + " --method exact ";
  const CliRun bands = cli(base + "--groups lbands:2,20,40,60,80,120,200,384 -o " + (dir / "b.npy").string());
  ASSERT_EQ(bands.exitCode, 0) << bands.output;
  const auto b = sky::readNpy(dir / "b.npy");
  ASSERT_EQ(b.shape, (std::vector<size_t>{1, 1, 7}));
  const sky::JsonValue json = sky::JsonValue::parseFile(dir / "b.json");
  const double gain = json["full_values"].array("f")[0].array("f")[0].number("f") -
                      json["base_values"].array("b")[0].array("b")[0].number("b");
  EXPECT_NEAR(std::accumulate(b.values.begin(), b.values.end(), 0.0), gain, 1e-9 * std::abs(gain));
  EXPECT_EQ(std::max_element(b.values.begin(), b.values.end()) - b.values.begin(), 2);
  EXPECT_EQ(json["groups"].array("g")[2]["lmin"].number("lmin"), 40.0);
  EXPECT_EQ(json["model_rows_evaluated"].number("rows"), 128.0);

  const CliRun regions = cli(base + "--groups regions:1 -o " + (dir / "r.npy").string());
  ASSERT_EQ(regions.exitCode, 0) << regions.output;
  const auto r = sky::readNpy(dir / "r.npy");
  ASSERT_EQ(r.shape, (std::vector<size_t>{1, 1, 12}));
  const sky::JsonValue rj = sky::JsonValue::parseFile(dir / "r.json");
  EXPECT_EQ(rj["groups"].array("g")[5]["pixels"].array("p")[0].number("p"), 5.0);
  const double regionGain = rj["full_values"].array("f")[0].array("f")[0].number("f") -
                            rj["base_values"].array("b")[0].array("b")[0].number("b");
  EXPECT_NEAR(std::accumulate(r.values.begin(), r.values.end(), 0.0), regionGain, 1e-9 * std::abs(regionGain) + 1e-9);

  const CliRun many = cli(base + "--groups regions:2 -o " + (dir / "bad.npy").string());
  EXPECT_EQ(many.exitCode, 6);
  EXPECT_NE(many.output.find("48 players"), std::string::npos) << many.output;
  EXPECT_NE(many.output.find("--method partition"), std::string::npos) << many.output;
  const CliRun npyBands = cli("explain --model " + model() + " --input " + images +
                              " --method exact --groups lbands:2,10 -o " + (dir / "bad.npy").string());
  EXPECT_EQ(npyBands.exitCode, 2);
  EXPECT_NE(npyBands.output.find("needs a HEALPix FITS map"), std::string::npos) << npyBands.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.npy"));
}

// Owen values on the HEALPix tree: born at the tree nside (no --nside), efficiency holds, and
// the FITS map carries the same values; options that make no sense on the sphere are refused.
TEST(CliExplain, PartitionOnTheHealpixTreeIsBornOnTheSphere) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 1 --seed 11 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const std::string base = "explain --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --input " +
                           (dir / "d" / "sim_000001_feature.fits").string() + " --method partition-healpix ";
  const CliRun run = cli(base + "--tree-nside 4 --max-evals 400 --batch-size 16 -o " + (dir / "s.npy").string() +
                         " --healpix-out " + (dir / "s.fits").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const auto values = sky::readNpy(dir / "s.npy");
  ASSERT_EQ(values.shape, (std::vector<size_t>{1, 1, 192}));
  const sky::JsonValue json = sky::JsonValue::parseFile(dir / "s.json");
  const double gain = json["outputs"].array("o")[0].number("o") - json["base_values"].array("b")[0].number("b");
  EXPECT_GT(std::abs(gain), 1e-3);
  EXPECT_NEAR(std::accumulate(values.values.begin(), values.values.end(), 0.0), gain, 1e-9 * std::abs(gain));
  EXPECT_EQ(json["model_rows_evaluated"].number("rows"), 400.0);
  EXPECT_EQ(json["nside"].number("nside"), 4.0);
  const sky::SkyMap map = sky::readHealpixFits(dir / "s.fits");
  ASSERT_EQ(map.nside(), 4);
  for (size_t p = 0; p < 192; ++p) EXPECT_DOUBLE_EQ(map.field(0)[p], values.values[p]) << p;

  const auto refused = [&](const std::string& options, int code, const std::string& message) {
    const CliRun r = cli(base + options + " -o " + (dir / "bad.npy").string());
    EXPECT_EQ(r.exitCode, code) << options;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.npy"));
  };
  refused("--tree-nside 3", 6, "power of two");
  refused("--tree-nside 256", 6, "finer than the map");
  refused("--tree-nside 4 --masker blur:4x4", 2, "masks sky pixels");
  refused("--tree-nside 4 --nside 8 --healpix-out " + (dir / "bad.fits").string(), 2, "born at --tree-nside");
  refused("--tree-nside 4 --steps 8", 2, "not an option of partition-healpix");
  const CliRun npy = cli("explain --model " + model() + " --input " + referenceInputs(dir) +
                         " --method partition-healpix --tree-nside 2 -o " + (dir / "bad.npy").string());
  EXPECT_EQ(npy.exitCode, 2);
  EXPECT_NE(npy.output.find("must be a FITS map"), std::string::npos) << npy.output;
}

TEST(CliExplain, PartitionEqualsShapAndWritesTheSidecar) {
  ScratchDir dir;
  const CliRun run = cli("explain --model " + model() + " --input " + referenceInputs(dir) +
                         " --method partition --max-evals 500 --batch-size 32 -o " + (dir / "attr.npy").string() +
                         " --healpix-out " + (dir / "attr.fits").string() + " --nside 8");
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const auto a = sky::readNpy(dir / "attr.npy");
  EXPECT_EQ(a.shape, (std::vector<size_t>{3, 1, 1, 32, 64}));
  EXPECT_LT(skytest::relativeError(a.values, sky::readNpy(dataPath("shap/cnn1_mask0_e500_values.npy")).values), 1e-4);
  const sky::JsonValue json = sky::JsonValue::parseFile(dir / "attr.json");
  EXPECT_EQ(json["method"].string("method"), "partition");
  EXPECT_EQ(json["model_rows_evaluated"].number("rows"), 1498.0);
  EXPECT_EQ(json["parameters"]["masker"].string("masker"), "zero");
  EXPECT_EQ(json["base_values"].array("b").size(), 3u);
  EXPECT_GT(json["seconds"].number("seconds"), 0.0);
  const sky::SkyMap map = sky::readHealpixFits(dir / "attr.fits");
  EXPECT_EQ(map.fieldCount(), 3);
  EXPECT_EQ(map.nside(), 8);
}

TEST(CliExplain, IntegratedGradientsReportsConvergenceDelta) {
  ScratchDir dir;
  const CliRun run = cli("explain --model " + model() + " --input " + referenceInputs(dir) +
                         " --method integrated-gradients --steps 50 -o " + (dir / "ig.npy").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_LT(skytest::relativeError(sky::readNpy(dir / "ig.npy").values,
                                   sky::readNpy(dataPath("captum/cnn1_ig_gl50_t0.npy")).values),
            1e-5);
  const sky::JsonValue json = sky::JsonValue::parseFile(dir / "ig.json");
  const auto delta = sky::readNpy(dataPath("captum/cnn1_ig_gl50_t0_delta.npy")).values;
  for (int n = 0; n < 3; ++n) {
    EXPECT_NEAR(json["convergence_delta"].array("d")[n].array("d")[0].number("d"), delta[n], 1e-5);
  }
}

TEST(CliExplain, FitsMapsGoThroughTheModelCard) {
  ScratchDir dir;
  std::filesystem::copy_file(model(), dir / "cnn1.pt");
  std::ofstream(dir / "cnn1.json")
      << R"({"format": "skyinterpret-model-card/1", "input": {"channels": ["T"], "height": 32, "width": 64},
                                          "preprocessing": {"kind": "none"}, "outputs": {"names": ["logit"]}})";
  const CliRun run = cli("explain --model " + (dir / "cnn1.pt").string() + " --input " + data("T_n16_0.fits") +
                         " --method saliency -o " + (dir / "s.npy").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  // The reference's first image is float32(cartview of T_n16_0.fits).
  const auto fromFits = sky::readNpy(dir / "s.npy").values;
  const auto ref = sky::readNpy(dataPath("captum/cnn1_saliency_abs_t0.npy")).values;
  EXPECT_LT(skytest::relativeError(fromFits, std::span<const double>(ref.data(), 2048)), 1e-5);
  const sky::JsonValue json = sky::JsonValue::parseFile(dir / "s.json");
  EXPECT_EQ(json["output_names"].array("n")[0].string("n"), "logit");
}

TEST(CliTheory, WritesSpectraInTheSpectrumFormat) {
  ScratchDir dir;
  ASSERT_EQ(cli("theory --lmax 1500 -o " + (dir / "lcdm.csv").string()).exitCode, 0);
  const CliRun feature = cli("theory --feature --amp 0.1 --lmax 1500 -o " + (dir / "f.csv").string());
  ASSERT_EQ(feature.exitCode, 0) << feature.output;
  const sky::CsvTable a = sky::readCsv(dir / "lcdm.csv"), b = sky::readCsv(dir / "f.csv");
  EXPECT_EQ(a.header, (std::vector<std::string>{"ell", "TT", "EE", "BB", "TE"}));
  ASSERT_EQ(a.columns[0].size(), 1501u);
  double maxChange = 0;
  for (int l = 2; l <= 1500; ++l) maxChange = std::max(maxChange, std::abs(b.columns[1][l] / a.columns[1][l] - 1));
  EXPECT_GT(maxChange, 0.05);
  EXPECT_LE(maxChange, 0.1 + 1e-12);
  // A Boltzmann file converted to the same format.
  {
    std::ofstream camb(dir / "camb.dat");
    for (int l = 2; l <= 30; ++l) camb << l << " 1000 10 0 5\n";
  }
  ASSERT_EQ(cli("theory --from " + (dir / "camb.dat").string() + " --lmax 30 -o " + (dir / "c.csv").string()).exitCode,
            0);
  EXPECT_NEAR(sky::readCsv(dir / "c.csv").columns[1][10], 1000 * 2 * M_PI / 110, 1e-9);
}

TEST(CliSimulate, WritesBalancedReproducibleDatasetsWithAManifest) {
  ScratchDir dir;
  const std::string common = " --nside 16 --count 3 --format both --xsize 32 --seed 7 --vary amp=0.1:0.2 --fields TQU";
  const CliRun run = cli("simulate" + common + " --out " + (dir / "a").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const auto entries = sky::readManifest(dir / "a" / "manifest.csv");
  ASSERT_EQ(entries.size(), 6u);
  int features = 0;
  for (const auto& e : entries) {
    features += e.label;
    EXPECT_TRUE(std::filesystem::exists(dir / "a" / e.file)) << e.file;
    EXPECT_GE(e.parameters.at("amp"), 0.1);
    EXPECT_LE(e.parameters.at("amp"), 0.2);
  }
  EXPECT_EQ(features, 3);
  EXPECT_EQ(sky::readHealpixFits(dir / "a" / entries[1].file).fieldCount(), 3);
  EXPECT_EQ(sky::readNpy(dir / "a" / "sim_000001_feature.npy").shape, (std::vector<size_t>{3, 16, 32}));
  ASSERT_EQ(cli("simulate" + common + " --out " + (dir / "b").string()).exitCode, 0);
  EXPECT_EQ(sky::readNpy(dir / "a" / "sim_000004_lcdm.npy").values,
            sky::readNpy(dir / "b" / "sim_000004_lcdm.npy").values);
  const CliRun again = cli("simulate" + common + " --out " + (dir / "a").string());
  EXPECT_EQ(again.exitCode, 7) << again.output;
  // A grid is cycled over the map pairs: every combination appears, for both classes.
  ASSERT_EQ(cli("simulate --nside 8 --count 4 --format npy --xsize 16 --grid amp=0.1/0.2,h=0.6/0.7 --out " +
                (dir / "g").string())
                .exitCode,
            0);
  std::set<std::pair<double, double>> seen;
  for (const auto& e : sky::readManifest(dir / "g" / "manifest.csv"))
    seen.insert({e.parameters.at("amp"), e.parameters.at("h")});
  EXPECT_EQ(seen.size(), 4u);
}

TEST(CliDemo, DemoModelSeparatesFreshHeldOutSkies) {
  // 400 maps with seeds the demo model never saw (it was trained on --seed 100).
  ScratchDir dir;
  const CliRun sim = cli("simulate --demo --count 200 --seed 4242 --out " + (dir / "held").string());
  ASSERT_EQ(sim.exitCode, 0) << sim.output;
  const CliRun eval = cli("evaluate --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --data " +
                          (dir / "held").string() + " -o " + (dir / "metrics.json").string());
  ASSERT_EQ(eval.exitCode, 0) << eval.output;
  const sky::JsonValue m = sky::JsonValue::parseFile(dir / "metrics.json");
  EXPECT_GE(m["auc"].number("auc"), 0.95) << eval.output;
  EXPECT_EQ(m["positives"].number("p"), 200.0);
  EXPECT_EQ(m["confusion_matrix"].array("c").size(), 2u);
}

TEST(CliAblate, TheDemoModelNeedsTheFeatureScales) {
  // The demo feature is a bump of power near l ~ 50: low-passing below it leaves the demo
  // model guessing, keeping it restores the separation.
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 12 --seed 9 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const std::string base = "ablate --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --data " + (dir / "d").string();
  const int lmax = 3 * sky::demoSettings().sky.nside - 1;
  const CliRun run =
      cli(base + " --scales lowpass --grid 10,30," + std::to_string(lmax) + " -o " + (dir / "low.csv").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const sky::CsvTable t = sky::readCsv(dir / "low.csv");
  ASSERT_EQ(t.header.size(), 8u);  // ..., auc, r2, rmse (NaN for a classifier)
  EXPECT_TRUE(std::isnan(t.columns[6][0]));
  EXPECT_EQ(t.header[5], "auc");
  ASSERT_EQ(t.columns[0].size(), 4u);  // the baseline, then 3 cuts
  EXPECT_TRUE(std::isnan(t.columns[0][0]));
  EXPECT_GE(t.columns[5][0], 0.95);  // baseline AUC
  EXPECT_LE(t.columns[5][1], 0.8);   // l <= 10: the feature is gone
  EXPECT_GE(t.columns[5][3], 0.95);  // l <= 3 nside - 1: everything kept
  // Spots, an existing output, and bad requests.
  EXPECT_EQ(cli(base + " --spots mask-hot --thresholds 1,2 -o " + (dir / "hot.csv").string()).exitCode, 0);
  EXPECT_EQ(sky::readCsv(dir / "hot.csv").columns[0].size(), 3u);
  EXPECT_EQ(cli(base + " --spots mask-hot --thresholds 1 -o " + (dir / "hot.csv").string()).exitCode, 7);
  const CliRun beyond =
      cli(base + " --scales lowpass --grid " + std::to_string(lmax + 1) + " -o " + (dir / "x.csv").string());
  EXPECT_EQ(beyond.exitCode, 6);
  EXPECT_NE(beyond.output.find("outside 0.." + std::to_string(lmax)), std::string::npos) << beyond.output;
  const CliRun both =
      cli(base + " --scales lowpass --grid 10 --spots mask-hot --thresholds 1 -o " + (dir / "x.csv").string());
  EXPECT_EQ(both.exitCode, 2);
  const CliRun words = cli(base + " --spots mask-hot --thresholds one -o " + (dir / "x.csv").string());
  EXPECT_NE(words.output.find("'one' is not a number"), std::string::npos) << words.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.csv"));
}

TEST(CliSensitivity, WritesBandSpectraAndRegionMaps) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 2 --seed 5 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const std::string base =
      "sensitivity --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --data " + (dir / "d").string();
  const CliRun bands = cli(base + " --band-width 100 --repeats 2 -o " + (dir / "s.csv").string());
  ASSERT_EQ(bands.exitCode, 0) << bands.output;
  const sky::CsvTable t = sky::readCsv(dir / "s.csv");
  const int lmax = 3 * sky::demoSettings().sky.nside - 1;  // 383
  ASSERT_EQ(t.columns[0].size(), 4u);                      // [2,101] [102,201] [202,301] [302,383]
  EXPECT_EQ(t.columns[1].back(), lmax);
  for (double v : t.columns[2]) EXPECT_GT(v, 0.0);
  const CliRun regions = cli(base + " --regions 1 --repeats 1 --amplitude 30 -o " + (dir / "s.fits").string());
  ASSERT_EQ(regions.exitCode, 0) << regions.output;
  EXPECT_EQ(sky::readHealpixFits(dir / "s.fits").npix(), 12);
  const CliRun zero = cli(base + " --repeats 0 -o " + (dir / "z.csv").string());
  EXPECT_EQ(zero.exitCode, 6);
  EXPECT_NE(zero.output.find("--repeats 0 is out of range"), std::string::npos);
  EXPECT_EQ(cli(base + " --regions 2 -o " + (dir / "z.csv").string()).exitCode, 2);  // a map needs .fits
  EXPECT_FALSE(std::filesystem::exists(dir / "z.csv"));
}

TEST(CliFaithfulness, IntegratedGradientsBeatARandomOrderOnTheDemo) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 1 --seed 6 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const std::string model = "--model " SKY_RESOURCES_DIR "/demo/demo_model.pt";
  const std::string map = (dir / "d" / "sim_000001_feature.fits").string();
  ASSERT_EQ(
      cli("explain " + model + " --input " + map + " --method integrated-gradients -o " + (dir / "ig.npy").string())
          .exitCode,
      0);
  const CliRun run = cli("faithfulness " + model + " --input " + map + " --attribution " + (dir / "ig.npy").string() +
                         " --steps 10 -o " + (dir / "f.csv").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const sky::CsvTable t = sky::readCsv(dir / "f.csv");
  ASSERT_EQ(t.columns[0].size(), 11u);
  // Deleting the pixels IG ranks first lowers the feature logit faster than deleting at random.
  double deletion = 0, random = 0;
  for (size_t k = 1; k < 11; ++k) {
    deletion += t.columns[1][k];
    random += t.columns[3][k];
  }
  EXPECT_LT(deletion, random) << run.output;
  EXPECT_EQ(t.columns[1][0], t.columns[3][0]);  // nothing removed yet: the same output
  const CliRun bad = cli("faithfulness " + model + " --input " + map + " --attribution " + (dir / "ig.npy").string() +
                         " --target 3 -o " + (dir / "g.csv").string());
  EXPECT_EQ(bad.exitCode, 6);
  EXPECT_NE(bad.output.find("no --target 3"), std::string::npos) << bad.output;
  EXPECT_FALSE(std::filesystem::exists(dir / "g.csv"));
}

// metrics: the JSON holds every metric; the attribution convention follows the method (IG
// multiplies by inputs, saliency does not); the IG attribution scores ROAD above a random
// one; HEALPix maps get the metrics defined on their pixels; bad input writes nothing.
TEST(CliMetrics, WritesInfidelitySensitivityRoadSparsenessAndComplexity) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 1 --seed 6 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const std::string model = "--model " SKY_RESOURCES_DIR "/demo/demo_model.pt";
  const std::string map = (dir / "d" / "sim_000001_feature.fits").string();
  for (const std::string method : {"integrated-gradients --steps 16", "saliency --no-abs"})
    ASSERT_EQ(cli("explain " + model + " --input " + map + " --method " + method + " -o " +
                  (dir / (method.substr(0, 3) + ".npy")).string() + " --healpix-out " +
                  (dir / (method.substr(0, 3) + ".fits")).string() + " --nside 32")
                  .exitCode,
              0);
  const auto metrics = [&](const std::string& attribution, const std::string& extra) {
    const CliRun run = cli("metrics " + model + " --input " + map + " --attribution " + (dir / attribution).string() +
                           " " + extra + " -o " + (dir / "m.json").string() + " --force");
    EXPECT_EQ(run.exitCode, 0) << run.output;
    return sky::JsonValue::parseFile(dir / "m.json");
  };
  const sky::JsonValue ig = metrics("int.npy", "--steps 16");
  EXPECT_EQ(ig["method"].string("method"), "integrated-gradients");
  EXPECT_TRUE(ig["infidelity"]["multiply_by_inputs"].boolean("m"));
  EXPECT_GE(ig["infidelity"]["value"].number("i"), 0.0);
  EXPECT_GT(ig["sensitivity_max"]["value"].number("s"), 0.0);
  EXPECT_EQ(ig["road"]["fraction"].array("f").size(), 10u);
  const double gini = ig["sparseness_gini"].number("g");
  EXPECT_GT(gini, 0.0);
  EXPECT_LT(gini, 1.0);
  EXPECT_GT(ig["complexity_entropy"].number("c"), 0.0);
  const double igScore = ig["road"]["score"].number("r");
  const sky::JsonValue saliency = metrics("sal.npy", "--no-abs");
  EXPECT_FALSE(saliency["infidelity"]["multiply_by_inputs"].boolean("m"));
  // A random attribution (plain (C, H, W) array, no sidecar): no method, no sensitivity-max.
  const auto values = skytest::randomValues(64 * 128, 3);
  sky::writeNpy(dir / "random.npy", {1, 64, 128}, std::span<const double>(values), sky::Overwrite::Allow);
  const sky::JsonValue random = metrics("random.npy", "");
  EXPECT_TRUE(random["sensitivity_max"].isNull());
  EXPECT_GT(igScore, random["road"]["score"].number("r"));
  // An .npy input is model input as explain made it (preprocessed as the card says): ROAD's
  // first point, f(x), is the output explain recorded.
  ASSERT_EQ(cli("project " + map + " --xsize 128 -o " + (dir / "x.npy").string()).exitCode, 0);
  ASSERT_EQ(cli("explain " + model + " --input " + (dir / "x.npy").string() + " --method saliency -o " +
                (dir / "xs.npy").string())
                .exitCode,
            0);
  const sky::JsonValue fromNpy = [&] {
    const CliRun run = cli("metrics " + model + " --input " + (dir / "x.npy").string() + " --attribution " +
                           (dir / "xs.npy").string() + " -o " + (dir / "mx.json").string());
    EXPECT_EQ(run.exitCode, 0) << run.output;
    return sky::JsonValue::parseFile(dir / "mx.json");
  }();
  const double recorded = sky::JsonValue::parseFile(dir / "xs.json")["outputs"].array("o")[0].array("o")[0].number("o");
  EXPECT_NEAR(fromNpy["road"]["morf"].array("m")[0].number("m"), recorded, 1e-4 * (1 + std::abs(recorded)));
  const sky::JsonValue sphere = metrics("int.fits", "");
  EXPECT_EQ(sphere["pixels"].string("p"), "healpix");
  EXPECT_EQ(sphere["road"]["fraction"].array("f").size(), 10u);
  EXPECT_GT(sphere["road"]["score"].number("s"), 0.0);  // IG's map ranks HEALPix pixels usefully too
  EXPECT_GT(sphere["sparseness_gini"].number("g"), 0.0);

  const auto refused = [&](const std::string& options, const std::string& message) {
    const CliRun r = cli("metrics " + model + " --input " + map + " " + options + " -o " + (dir / "bad.json").string());
    EXPECT_NE(r.exitCode, 0) << options;
    EXPECT_NE(r.output.find(message), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.json"));
  };
  sky::writeNpy(dir / "small.npy", {1, 8, 8}, std::span<const double>(values.data(), 64), sky::Overwrite::Allow);
  refused("--attribution " + (dir / "small.npy").string(), "is not the input's");
  refused("--attribution " + (dir / "int.npy").string() + " --target 2", "explains no output 2");
  refused("--attribution " + (dir / "none.npy").string(), "none.npy");
}

// sanity: re-explaining the unchanged demo model gives 1; with every layer randomised the
// Spearman correlation of IG falls below 0.5. A two-output model adds the random-logit row.
TEST(CliSanity, CascadingRandomisationOfIntegratedGradients) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 1 --seed 6 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const CliRun run = cli("sanity --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --input " +
                         (dir / "d" / "sim_000001_feature.fits").string() +
                         " --method integrated-gradients --steps 16 -o " + (dir / "s.csv").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  std::ifstream f(dir / "s.csv");
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(f, line);) {
    std::vector<std::string> cells;
    std::stringstream cellStream(line);
    for (std::string cell; std::getline(cellStream, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  ASSERT_EQ(rows.size(), 10u);  // header, unchanged, 8 layers
  EXPECT_EQ(rows[0][2], "spearman");
  EXPECT_EQ(rows[1][1], "\"none\"");
  EXPECT_DOUBLE_EQ(std::stod(rows[1][2]), 1.0);
  EXPECT_EQ(rows[2][1], "\"d2 (linear)\"");  // the output layer first
  EXPECT_LT(std::stod(rows.back()[2]), 0.5);
  EXPECT_NE(run.output.find("no random-logit test"), std::string::npos);

  const CliRun logit =
      cli("sanity --model " SKY_HOSTILE_MODELS_DIR "/two_outputs.pt --input " +
          (dir / "d" / "sim_000001_feature.fits").string() + " --method saliency -o " + (dir / "two.csv").string());
  ASSERT_EQ(logit.exitCode, 0) << logit.output;
  std::ifstream two(dir / "two.csv");
  std::string line, last;
  int count = 0;
  while (std::getline(two, line)) {
    last = line;
    ++count;
  }
  EXPECT_EQ(count, 5);  // header, unchanged, 2 layers (heads, convolution), random logit
  EXPECT_EQ(last.rfind("random-logit,", 0), 0u) << last;
  const CliRun bad = cli("sanity --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --input " +
                         (dir / "d" / "sim_000001_feature.fits").string() + " --method saliency --steps 3 -o " +
                         (dir / "bad.csv").string());
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_FALSE(std::filesystem::exists(dir / "bad.csv"));
}

// A regression demo: skies with n_s varied train a moment network in CI time that recovers
// n_s on fresh skies (R^2 >= 0.8), with calibrated sigmas; ablation reports R^2 per cut.
TEST(CliRegression, TrainsEvaluatesAndAblatesOnVariedSkies) {
  ScratchDir dir;
  const std::string vary = " --demo --vary ns=0.7:1.3 --format both --xsize 128 --out ";
  ASSERT_EQ(cli("simulate --count 300 --seed 5" + vary + (dir / "train").string()).exitCode, 0);
  ASSERT_EQ(cli("simulate --count 40 --seed 77" + vary + (dir / "test").string()).exitCode, 0);
  // The training set is read from its images (the manifest lists the FITS maps and the .npy).
  const CliRun train = cli("train --data " + (dir / "train").string() + " --xsize 128 -o " + (dir / "ns.pt").string() +
                           " --task regression --targets ns --widths 8,16,32 --dense 32 --dropout 0.1 --epochs 25 "
                           "--lr 0.002 --patience 8 --seed 1");
  ASSERT_EQ(train.exitCode, 0) << train.output;
  const sky::ModelCard card = sky::readModelCard(dir / "ns.json");
  EXPECT_EQ(card.task, sky::ModelTask::Regression);
  EXPECT_EQ(card.outputNames, (std::vector<std::string>{"ns", "sigma_ns"}));
  const CliRun evaluate = cli("evaluate --model " + (dir / "ns.pt").string() + " --data " + (dir / "test").string() +
                              " -o " + (dir / "ev.json").string());
  ASSERT_EQ(evaluate.exitCode, 0) << evaluate.output;
  const sky::JsonValue ev = sky::JsonValue::parseFile(dir / "ev.json");
  const sky::JsonValue& ns = ev["parameters"]["ns"];
  EXPECT_GE(ns["r2"].number("r2"), 0.8) << evaluate.output;
  EXPECT_GT(ns["coverage_1sigma"].number("c"), 0.4) << evaluate.output;  // sigmas that mean something
  EXPECT_LT(ns["coverage_1sigma"].number("c"), 0.95) << evaluate.output;
  const CliRun ablate = cli("ablate --model " + (dir / "ns.pt").string() + " --data " + (dir / "test").string() +
                            " --scales lowpass --grid 10,100 -o " + (dir / "ab.csv").string());
  ASSERT_EQ(ablate.exitCode, 0) << ablate.output;
  const sky::CsvTable t = sky::readCsv(dir / "ab.csv");
  ASSERT_EQ(t.header.back(), "rmse");
  EXPECT_NEAR(t.columns[6][0], ns["r2"].number("r2"), 0.05);  // the baseline: the maps as they are
  EXPECT_LT(t.columns[6][1], t.columns[6][0] - 0.3);          // l <= 10 alone hides n_s
  EXPECT_TRUE(std::isnan(t.columns[5][0]));                   // no AUC for a regression output
  const CliRun sigma = cli("ablate --model " + (dir / "ns.pt").string() + " --data " + (dir / "test").string() +
                           " --scales lowpass --grid 10 --target 1 -o " + (dir / "bad.csv").string());
  EXPECT_EQ(sigma.exitCode, 6);
  EXPECT_NE(sigma.output.find("not a parameter's mean"), std::string::npos) << sigma.output;
}

// ablate --retrain: each cut retrains the recipe on cut training skies. Keeping l <= 10 leaves
// nothing of the demo feature (l 40-59) to learn; no real cut (l <= 383) leaves all of it. A
// rerun reuses the cuts done; each retrained network keeps its card.
TEST(CliAblate, RetrainingPerCutMeasuresWhatTheCutLeaves) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 60 --seed 21 --format fits --out " + (dir / "train").string()).exitCode, 0);
  ASSERT_EQ(cli("simulate --demo --count 20 --seed 22 --format fits --out " + (dir / "test").string()).exitCode, 0);
  const std::string command = "ablate --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --data " +
                              (dir / "test").string() + " --scales lowpass --grid 10,383 --retrain --train-data " +
                              (dir / "train").string() + " --retrain-dir " + (dir / "runs").string() +
                              " --widths 8,16,32 --dense 32 --epochs 6 --lr 0.002 --seed 1 -o ";
  const CliRun run = cli(command + (dir / "a.csv").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const sky::CsvTable t = sky::readCsv(dir / "a.csv");
  ASSERT_EQ(t.header.back(), "retrained_auc");
  EXPECT_TRUE(std::isnan(t.columns.back()[0]));  // the baseline row: the network as given
  EXPECT_LT(t.columns.back()[1], 0.75) << run.output;
  EXPECT_GT(t.columns.back()[2], 0.8) << run.output;
  EXPECT_EQ(sky::readModelCard(dir / "runs" / "cut_0.json").outputNames, std::vector<std::string>{"feature"});
  const CliRun again = cli(command + (dir / "b.csv").string());
  ASSERT_EQ(again.exitCode, 0) << again.output;
  EXPECT_NE(again.output.find("retrained before"), std::string::npos) << again.output;
  const auto reused = sky::readCsv(dir / "b.csv").columns.back();
  EXPECT_EQ(reused[1], t.columns.back()[1]);
  EXPECT_EQ(reused[2], t.columns.back()[2]);
  const CliRun loose =
      cli("ablate --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --data " + (dir / "test").string() +
          " --scales lowpass --grid 10 --train-data " + (dir / "train").string() + " -o " + (dir / "c.csv").string());
  EXPECT_EQ(loose.exitCode, 2);
  EXPECT_NE(loose.output.find("go with --retrain"), std::string::npos) << loose.output;
}

TEST(CliAggregate, WritesClassMapsSpectraAndShares) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 3 --seed 8 --format fits --out " + (dir / "d").string()).exitCode, 0);
  const std::string base = "aggregate --model " SKY_RESOURCES_DIR "/demo/demo_model.pt --data " + (dir / "d").string();
  const CliRun run = cli(base + " --method saliency -o " + (dir / "agg").string());
  ASSERT_EQ(run.exitCode, 0) << run.output;
  const sky::SkyMap maps = sky::readHealpixFits(dir / "agg_maps.fits");
  ASSERT_EQ(maps.fieldCount(), 4);
  EXPECT_EQ(maps.fieldName(3), "MEAN_ABS_FEATURE");
  EXPECT_EQ(maps.nside(), sky::demoSettings().sky.nside);
  EXPECT_EQ(sky::readCsv(dir / "agg_spectra.csv").columns[0].size(), 3u * sky::demoSettings().sky.nside);
  const sky::CsvTable shares = sky::readCsv(dir / "agg_shares.csv");
  ASSERT_EQ(shares.columns[0].size(), 2u);
  for (size_t row = 0; row < 2; ++row) {
    EXPECT_EQ(shares.columns[1][row], 3.0);  // maps per class
    double bands = 0;
    for (size_t c = 5; c < shares.columns.size(); ++c) bands += shares.columns[c][row];
    EXPECT_NEAR(bands, 1.0, 1e-9);  // the band shares split the attribution's power
  }
  // Saliency is |gradient| (Captum's default): its class means equal the mean |attribution| maps.
  for (size_t p = 0; p < 12288; p += 101) EXPECT_DOUBLE_EQ(maps.field(1)[p], maps.field(3)[p]);
  EXPECT_EQ(cli(base + " --method saliency -o " + (dir / "agg").string()).exitCode, 7);
  EXPECT_EQ(cli(base + " -o " + (dir / "other").string()).exitCode, 2);  // no --method
}

TEST(CliTrain, TrainsEvaluatesAndExplainsASmallDataset) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --nside 8 --count 40 --format npy --xsize 32 --seed 3 --amp 0.9 --centre 0.0015 --wid 0.001 "
                "--freq 1 --phase 1.5708 --out " +
                (dir / "d").string())
                .exitCode,
            0);
  const CliRun train = cli("train --data " + (dir / "d").string() + " -o " + (dir / "m.pt").string() +
                           " --widths 4,8,8 --dense 8 --epochs 3 --threads 1");
  ASSERT_EQ(train.exitCode, 0) << train.output;
  EXPECT_NE(train.output.find("best validation AUC"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "m.json"));
  const CliRun eval = cli("evaluate --model " + (dir / "m.pt").string() + " --data " + (dir / "d").string());
  EXPECT_EQ(eval.exitCode, 0) << eval.output;
  EXPECT_NE(eval.output.find("AUC"), std::string::npos);
  // The trained model and its card drive the explainer on a FITS-free input.
  const CliRun explain =
      cli("explain --model " + (dir / "m.pt").string() + " --input " + (dir / "d" / "sim_000001_feature.npy").string() +
          " --method integrated-gradients --steps 8 -o " + (dir / "ig.npy").string());
  EXPECT_EQ(explain.exitCode, 0) << explain.output;
  const CliRun pca = cli("train --arch pca-mlp --components 8 --data " + (dir / "d").string() + " -o " +
                         (dir / "p.pt").string() + " --epochs 2 --threads 1");
  EXPECT_EQ(pca.exitCode, 0) << pca.output;
}

TEST(CliExplain, NpyInputsGetTheCardsPreprocessingLikeTraining) {
  // A raw (uK) simulated image and its z-scored copy give the same attributions through a
  // per-map-zscore card; --no-preprocess feeds the raw values and changes the result.
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --demo --count 1 --seed 9 --out " + (dir / "s").string()).exitCode, 0);
  const std::string model = SKY_RESOURCES_DIR "/demo/demo_model.pt";
  const std::string image = (dir / "s" / "sim_000001_feature.npy").string();
  ASSERT_EQ(cli("explain --model " + model + " --input " + image + " --method saliency -o " + (dir / "a.npy").string())
                .exitCode,
            0);
  auto raw = sky::readNpy(image);
  double mean = 0, sq = 0;
  for (double v : raw.values) mean += v / raw.values.size();
  for (double v : raw.values) sq += (v - mean) * (v - mean) / raw.values.size();
  std::vector<float> z;
  for (double v : raw.values) z.push_back(static_cast<float>((v - mean) / std::sqrt(sq)));
  sky::writeNpy(dir / "z.npy", raw.shape, std::span<const float>(z));
  ASSERT_EQ(cli("explain --model " + model + " --input " + (dir / "z.npy").string() +
                " --no-preprocess --method saliency -o " + (dir / "b.npy").string())
                .exitCode,
            0);
  EXPECT_LT(skytest::relativeError(sky::readNpy(dir / "a.npy").values, sky::readNpy(dir / "b.npy").values), 1e-4);
  ASSERT_EQ(cli("explain --model " + model + " --input " + image + " --no-preprocess --method saliency -o " +
                (dir / "c.npy").string())
                .exitCode,
            0);
  EXPECT_GT(skytest::relativeError(sky::readNpy(dir / "c.npy").values, sky::readNpy(dir / "a.npy").values), 0.01);
}
