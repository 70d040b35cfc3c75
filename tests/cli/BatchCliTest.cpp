// `skyinterpret-cli batch` end to end: results equal `explain`, reruns skip finished inputs,
// failures are recorded and retried, shards and MPI ranks each do every input exactly once with
// the same results as one process, and a run killed midway completes on a rerun.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "TestSupport.h"
#include "batch/BatchManifest.h"
#include "cli/CliRun.h"
#include "io/HealpixFits.h"
#include "io/Npy.h"

using skytest::cli;
using skytest::CliRun;
using skytest::ScratchDir;
namespace fs = std::filesystem;

namespace {

const std::string kModel = SKY_RESOURCES_DIR "/demo/demo_model.pt";

// Twelve demo skies (six per class) at nside 16, made once for the suite.
class BatchCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new ScratchDir;
    const CliRun sim = cli("simulate --demo --nside 16 --count 6 --format fits --out " + skies().string());
    ASSERT_EQ(sim.exitCode, 0) << sim.output;
  }
  static void TearDownTestSuite() {
    delete data_;
    data_ = nullptr;
  }
  static fs::path skies() { return data_->path() / "skies"; }
  static std::vector<fs::path> skyFiles() {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(skies()))
      if (e.path().extension() == ".fits") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
  }
  static ScratchDir* data_;
};
ScratchDir* BatchCli::data_ = nullptr;

std::string batchArgs(const fs::path& inputs, const fs::path& outdir, const std::string& method = "saliency") {
  return "batch --model " + kModel + " --inputs " + inputs.string() + " --method " + method + " --outdir " +
         outdir.string() + " --threads 1";
}

std::string bytesOf(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every ok key with how often it was recorded ok.
std::map<std::string, int> okCounts(const fs::path& outdir) {
  std::map<std::string, int> counts;
  for (const auto& r : sky::readBatchManifest(outdir).records)
    if (r.ok()) ++counts[r.key];
  return counts;
}

void expectSameResults(const fs::path& a, const fs::path& b, const std::string& method) {
  size_t compared = 0;
  for (const auto& e : fs::directory_iterator(a)) {
    const std::string name = e.path().filename().string();
    if (!name.ends_with("." + method + ".npy") && !name.ends_with("." + method + ".fits")) continue;
    ASSERT_TRUE(fs::exists(b / name)) << name;
    EXPECT_EQ(bytesOf(e.path()), bytesOf(b / name)) << name;
    ++compared;
  }
  EXPECT_GT(compared, 0u);
}

// Starts `command` in its own process group with output to `log`; returns its pid.
pid_t startInBackground(const std::string& command, const fs::path& log) {
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    const std::string line = "exec " + command + " >" + log.string() + " 2>&1";
    execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

size_t manifestLines(const fs::path& outdir) {
  size_t lines = 0;
  for (const auto& e : fs::directory_iterator(outdir)) {
    if (!e.path().filename().string().starts_with("manifest")) continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) lines += line.ends_with("}") ? 1 : 0;
  }
  return lines;
}

bool waitForManifestLines(const fs::path& outdir, size_t lines, pid_t pid) {
  for (int i = 0; i < 1200; ++i) {
    if (fs::exists(outdir) && manifestLines(outdir) >= lines) return true;
    if (waitpid(pid, nullptr, WNOHANG) == pid) return false;  // ended first
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::set<std::string> keysIn(const std::vector<sky::BatchRecord>& records) {
  std::set<std::string> keys;
  for (const auto& r : records)
    if (r.ok()) keys.insert(r.key);
  return keys;
}

// After a run was killed: a rerun finishes the set, redoing none of the inputs already recorded.
void expectRerunCompletes(const fs::path& outdir, const std::string& rerun, const std::string& prefix, size_t total) {
  const auto before = sky::readBatchManifest(outdir).records;
  const std::set<std::string> finishedBefore = keysIn(before);
  ASSERT_GE(finishedBefore.size(), 2u);
  ASSERT_LT(finishedBefore.size(), total) << "the run ended before it could be killed; the test needs slower inputs";
  const CliRun again = cli(rerun, prefix);
  ASSERT_EQ(again.exitCode, 0) << again.output;
  EXPECT_NE(again.output.find(std::to_string(finishedBefore.size()) + " done before"), std::string::npos)
      << again.output;
  const auto after = sky::readBatchManifest(outdir).records;
  std::vector<sky::BatchRecord> added;
  for (const auto& r : after) {
    const bool old = std::any_of(before.begin(), before.end(), [&](const sky::BatchRecord& b) {
      return b.key == r.key && b.finished == r.finished && b.rank == r.rank;
    });
    if (!old) added.push_back(r);
  }
  for (const auto& key : keysIn(added)) EXPECT_FALSE(finishedBefore.count(key)) << key << " was redone";
  EXPECT_EQ(finishedBefore.size() + keysIn(added).size(), total);
  for (const auto& [key, count] : okCounts(outdir)) EXPECT_EQ(count, 1) << key;
}

}  // namespace

TEST_F(BatchCli, ExplainsEveryInputOnceWithTheResultsOfExplain) {
  ScratchDir out;
  const CliRun run = cli(batchArgs(skies(), out / "b"));
  ASSERT_EQ(run.exitCode, 0) << run.output;
  EXPECT_NE(run.output.find("12 inputs, 0 done before, 12 to do"), std::string::npos) << run.output;
  const auto counts = okCounts(out / "b");
  ASSERT_EQ(counts.size(), 12u);
  for (const auto& [key, count] : counts) EXPECT_EQ(count, 1) << key;
  for (const auto& r : sky::readBatchManifest(out / "b").records) {
    EXPECT_EQ(r.outputs.size(), 3u);
    for (const auto& f : r.outputs) EXPECT_TRUE(fs::exists(out / "b" / f)) << f;
    EXPECT_GT(r.seconds, 0);
  }
  // The same numbers as explaining one map with `explain`.
  const fs::path first = skyFiles().front();
  const CliRun one =
      cli("explain --model " + kModel + " --input " + first.string() + " --method saliency --threads 1 -o " +
          (out / "one.npy").string() + " --healpix-out " + (out / "one.fits").string() + " --nside 16");
  ASSERT_EQ(one.exitCode, 0) << one.output;
  const std::string key = first.stem().string();
  EXPECT_EQ(sky::readNpy(out / "b" / (key + ".saliency.npy")).values, sky::readNpy(out / "one.npy").values);
  const sky::SkyMap sphere = sky::readHealpixFits(out / "b" / (key + ".saliency.fits"));
  const sky::SkyMap expected = sky::readHealpixFits(out / "one.fits");
  EXPECT_EQ(sphere.nside(), 16);
  EXPECT_TRUE(
      std::equal(sphere.field(0).begin(), sphere.field(0).end(), expected.field(0).begin(), expected.field(0).end()));

  // A rerun finds everything done; the manifest is unchanged.
  const CliRun again = cli(batchArgs(skies(), out / "b"));
  EXPECT_EQ(again.exitCode, 0) << again.output;
  EXPECT_NE(again.output.find("12 done before, 0 to do"), std::string::npos) << again.output;
  EXPECT_EQ(manifestLines(out / "b"), 12u);
}

TEST_F(BatchCli, AFailedInputIsRecordedTheOthersFinishAndARerunRetriesOnlyIt) {
  ScratchDir out;
  const auto files = skyFiles();
  fs::create_directories(out / "in");
  for (size_t i = 0; i < 3; ++i) fs::copy_file(files[i], out / "in" / files[i].filename());
  std::ofstream(out / "in" / "broken.fits") << "SIMPLE  = not really a FITS file";
  const CliRun run = cli(batchArgs(out / "in", out / "b"));
  EXPECT_EQ(run.exitCode, 10) << run.output;
  EXPECT_NE(run.output.find("broken failed"), std::string::npos) << run.output;
  const auto records = sky::readBatchManifest(out / "b").records;
  ASSERT_EQ(records.size(), 4u);
  for (const auto& r : records) {
    EXPECT_EQ(r.ok(), r.key != "broken") << r.key;
    if (!r.ok()) {
      EXPECT_NE(r.error.find("broken.fits"), std::string::npos) << r.error;
    }
  }
  const CliRun again = cli(batchArgs(out / "in", out / "b"));
  EXPECT_EQ(again.exitCode, 10);
  EXPECT_NE(again.output.find("3 done before, 1 to do"), std::string::npos) << again.output;
  // Nothing half-written: only results, the manifest and batch.json.
  for (const auto& e : fs::directory_iterator(out / "b")) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name.ends_with(".npy") || name.ends_with(".fits") || name.ends_with(".json") ||
                name.ends_with(".jsonl"))
        << name;
    EXPECT_FALSE(name.starts_with("broken")) << name;
  }
}

TEST_F(BatchCli, ShardsTogetherDoEveryInputOnceWithTheSameResults) {
  ScratchDir out;
  ASSERT_EQ(cli(batchArgs(skies(), out / "single")).exitCode, 0);
  for (int i = 0; i < 3; ++i) {
    const CliRun shard = cli(batchArgs(skies(), out / "sharded") + " --shard " + std::to_string(i) + "/3");
    ASSERT_EQ(shard.exitCode, 0) << shard.output;
    EXPECT_NE(shard.output.find("4 inputs in shard " + std::to_string(i) + "/3"), std::string::npos) << shard.output;
    EXPECT_TRUE(fs::exists(out / "sharded" / ("manifest.shard-" + std::to_string(i) + "-of-3.jsonl")));
  }
  const auto counts = okCounts(out / "sharded");
  EXPECT_EQ(counts.size(), 12u);
  for (const auto& [key, count] : counts) EXPECT_EQ(count, 1) << key;
  expectSameResults(out / "single", out / "sharded", "saliency");
}

TEST_F(BatchCli, BadArgumentsAndMixedSettingsAreRefused) {
  ScratchDir out;
  ASSERT_EQ(cli(batchArgs(skies(), out / "b") + " --shard 0/4").exitCode, 0);
  const CliRun other = cli(batchArgs(skies(), out / "b", "integrated-gradients"));
  EXPECT_EQ(other.exitCode, 6) << other.output;
  EXPECT_NE(other.output.find("method saliency vs integrated-gradients"), std::string::npos) << other.output;
  EXPECT_EQ(cli(batchArgs(skies(), out / "c", "gradcam")).exitCode, 2);
  EXPECT_EQ(cli(batchArgs(skies(), out / "c") + " --shard 4/4").exitCode, 2);
  EXPECT_EQ(cli(batchArgs(out / "nothing-here", out / "c")).exitCode, 3);
  const CliRun noModel = cli("batch --model " + (out / "none.pt").string() + " --inputs " + skies().string() +
                             " --method saliency --outdir " + (out / "c").string());
  EXPECT_EQ(noModel.exitCode, 3) << noModel.output;
  std::ofstream(out / "file") << "x";
  EXPECT_EQ(cli(batchArgs(skies(), out / "file" / "sub")).exitCode, 8);
  // A broken model (with a valid card) fails the run once, before any input is tried.
  std::ofstream(out / "bad.pt") << "not TorchScript";
  fs::copy_file(SKY_RESOURCES_DIR "/demo/demo_model.json", out / "bad.json");
  const CliRun badModel = cli("batch --model " + (out / "bad.pt").string() + " --inputs " + skies().string() +
                              " --method saliency --outdir " + (out / "bad").string());
  EXPECT_EQ(badModel.exitCode, 4) << badModel.output;
  EXPECT_TRUE(sky::readBatchManifest(out / "bad").records.empty());
  EXPECT_FALSE(fs::exists(out / "c"));
}

TEST_F(BatchCli, AKilledRunCompletesOnARerunWithoutRedoingFinishedInputs) {
  ScratchDir out;
  const std::string args = batchArgs(skies(), out / "b", "partition") + " --max-evals 4000";
  const pid_t pid = startInBackground(std::string(SKY_CLI_PATH) + " " + args, out / "log.txt");
  ASSERT_TRUE(waitForManifestLines(out / "b", 3, pid)) << bytesOf(out / "log.txt");
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  expectRerunCompletes(out / "b", args, {}, 12);
}

#ifdef SKY_MPIRUN
namespace {
// Root in containers and CI needs the first flag; the second allows -n 2 wherever there are
// fewer slots than ranks.
const std::string kMpirun = SKY_MPIRUN " --allow-run-as-root --oversubscribe -n 2";

std::vector<pid_t> childrenOf(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(e.path() / "stat");
    std::string text;
    std::getline(stat, text);
    const auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    char state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    std::ifstream cmdline(e.path() / "cmdline");
    std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    // The command line, not the name: the CLI re-executes itself through /proc/self/exe.
    if (ppid == parent && args.find("skyinterpret-cli") != std::string::npos) children.push_back(std::stoi(name));
  }
  return children;
}
}  // namespace

TEST_F(BatchCli, TwoMpiRanksShareTheInputsAndMatchOneProcess) {
  ScratchDir out;
  const std::string single = batchArgs(skies(), out / "single", "partition") + " --max-evals 1500";
  ASSERT_EQ(cli(single).exitCode, 0);
  const CliRun mpi = cli(batchArgs(skies(), out / "mpi", "partition") + " --max-evals 1500", kMpirun);
  ASSERT_EQ(mpi.exitCode, 0) << mpi.output;
  EXPECT_NE(mpi.output.find("2 ranks x 1 threads"), std::string::npos) << mpi.output;
  const auto counts = okCounts(out / "mpi");
  EXPECT_EQ(counts.size(), 12u);
  for (const auto& [key, count] : counts) EXPECT_EQ(count, 1) << key;
  std::set<int> ranks;
  for (const auto& r : sky::readBatchManifest(out / "mpi").records) ranks.insert(r.rank);
  EXPECT_EQ(ranks, (std::set<int>{0, 1})) << "both ranks take inputs from the queue";
  expectSameResults(out / "single", out / "mpi", "partition");
}

TEST_F(BatchCli, KillingOneMpiRankMidwayThenRerunningCompletesTheSet) {
  ScratchDir out;
  const std::string args = batchArgs(skies(), out / "b", "partition") + " --max-evals 4000";
  const pid_t mpirun = startInBackground(kMpirun + " " + SKY_CLI_PATH + " " + args, out / "log.txt");
  ASSERT_TRUE(waitForManifestLines(out / "b", 3, mpirun)) << bytesOf(out / "log.txt");
  const auto ranks = childrenOf(mpirun);
  ASSERT_EQ(ranks.size(), 2u) << "ranks of mpirun " << mpirun;
  kill(ranks.back(), SIGKILL);  // one rank dies; mpirun then ends the job
  int status = 0;
  waitpid(mpirun, &status, 0);
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the job reports the lost rank";
  expectRerunCompletes(out / "b", args, kMpirun, 12);
}
#endif
