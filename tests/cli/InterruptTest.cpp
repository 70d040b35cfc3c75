// SIGTERM and SIGINT (timeout, scancel, Ctrl-C) end any command within about a second with
// exit 9 and no partial or temporary file: long loops poll the stop flag, and a watchdog ends
// a command stuck where it cannot poll (here, a model whose forward pass never returns).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "TestSupport.h"
#include "cli/CliRun.h"
#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "simulate/Manifest.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using skytest::cli;
using skytest::fileCountBelow;
using skytest::ScratchDir;

struct Stopped {
  int exitCode = -1;
  double secondsAfterSignal = 0.0;
};

// True once the process runs its interrupt watchdog thread (named "sky-watchdog"): from then on
// its signal handlers are installed. Before, a signal takes the default action (the process is
// loading its libraries, or re-executing itself with its allocator settings).
bool watchdogRunning(pid_t pid) {
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream comm(task.path() / "comm");
    std::string name;
    if (std::getline(comm, name) && name == "sky-watchdog") return true;
  }
  return false;
}

// Starts skyinterpret-cli with `args`; once it is ready (its watchdog runs and `ready()` holds)
// and `delay` more has passed, sends `signal` and waits for the process to end.
Stopped signalWhenReady(const std::vector<std::string>& args, const std::function<bool()>& ready,
                        std::chrono::milliseconds delay, int signal) {
  std::vector<char*> argv = {const_cast<char*>(SKY_CLI_PATH)};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    execv(SKY_CLI_PATH, argv.data());
    _exit(127);
  }
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (Clock::now() < deadline && !(watchdogRunning(pid) && ready())) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      ADD_FAILURE() << "the command ended before it could be signalled";
      return {};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(delay);
  const auto sent = Clock::now();
  kill(pid, signal);
  waitpid(pid, &status, 0);
  Stopped s;
  s.secondsAfterSignal = std::chrono::duration<double>(Clock::now() - sent).count();
  s.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return s;
}

const auto always = [] { return true; };

// Generous against a loaded CI machine; the measured time is printed (typically 0.1-0.9 s).
constexpr double kPromptSeconds = 2.5;

TEST(CliInterrupt, SigtermStopsALongSensitivityRunPromptly) {
  ScratchDir dir;
  ASSERT_EQ(cli("simulate --nside 16 --count 2 --seed 4 --out " + (dir / "d").string()).exitCode, 0);
  const size_t before = fileCountBelow(dir.path());
  const Stopped s =
      signalWhenReady({"sensitivity", "--model", SKY_RESOURCES_DIR "/demo/demo_model.pt", "--data",
                       (dir / "d").string(), "--repeats", "100000", "--threads", "1", "-o", (dir / "s.csv").string()},
                      always, std::chrono::milliseconds(1500), SIGTERM);
  std::cout << "sensitivity ended " << s.secondsAfterSignal << " s after SIGTERM\n";
  EXPECT_EQ(s.exitCode, 9);
  EXPECT_LT(s.secondsAfterSignal, kPromptSeconds);
  // The bands finished before the signal are kept, as a complete CSV and nothing else.
  EXPECT_EQ(fileCountBelow(dir.path()), before + 1) << "an interrupted run left a temporary file";
  const sky::CsvTable kept = sky::readCsv(dir / "s.csv");
  EXPECT_EQ(kept.header, (std::vector<std::string>{"lmin", "lmax", "importance", "std_over_repeats"}));
}

TEST(CliInterrupt, WatchdogEndsACommandStuckInsideTheModel) {
  ScratchDir dir;
  const Stopped s = signalWhenReady(
      {"explain", "--model", SKY_HOSTILE_MODELS_DIR "/endless.pt", "--input",
       SKY_TEST_DATA_DIR "/models/x_cnn1_nchw.npy", "--method", "saliency", "-o", (dir / "a.npy").string()},
      always, std::chrono::milliseconds(500), SIGINT);
  std::cout << "explain ended " << s.secondsAfterSignal << " s after SIGINT\n";
  EXPECT_EQ(s.exitCode, 9);
  EXPECT_LT(s.secondsAfterSignal, kPromptSeconds);
  EXPECT_EQ(fileCountBelow(dir.path()), 0u);
}

TEST(CliInterrupt, KilledSimulationKeepsAUsableManifestAndResumes) {
  ScratchDir dir;
  const std::string out = (dir / "d").string();
  const std::vector<std::string> args = {"simulate", "--nside", "128", "--count", "400", "--seed", "3", "--out", out};
  // Killed once its manifest lists some maps.
  const Stopped s = signalWhenReady(
      args, [&] { return fs::exists(dir / "d" / "manifest.csv"); }, std::chrono::milliseconds(300), SIGKILL);
  ASSERT_EQ(s.exitCode, -SIGKILL) << "the run finished before it was killed; the test needs more maps";
  // Killed without warning: the manifest lists complete maps only, usable as it stands.
  const auto listed = sky::readManifest(dir / "d" / "manifest.csv");
  ASSERT_FALSE(listed.empty());
  ASSERT_LT(listed.size(), 800u);
  for (const auto& e : listed) EXPECT_EQ(sky::readHealpixFits(dir / "d" / e.file).nside(), 128) << e.file;
  // --resume keeps them and makes the rest; other settings are refused.
  const auto other = cli("simulate --nside 64 --count 400 --seed 3 --resume --out " + out);
  EXPECT_EQ(other.exitCode, 6) << other.output;
  EXPECT_NE(other.output.find("other settings"), std::string::npos) << other.output;
  const auto resumed = cli("simulate --nside 128 --count 4 --seed 3 --resume --out " + out);
  ASSERT_EQ(resumed.exitCode, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("kept from the earlier run"), std::string::npos) << resumed.output;
  const auto all = sky::readManifest(dir / "d" / "manifest.csv");
  ASSERT_EQ(all.size(), 8u);
  // A resumed map equals the one an uninterrupted run makes.
  ASSERT_EQ(cli("simulate --nside 128 --count 4 --seed 3 --out " + (dir / "fresh").string()).exitCode, 0);
  const auto a = sky::readHealpixFits(dir / "d" / all.back().file),
             b = sky::readHealpixFits(dir / "fresh" / all.back().file);
  EXPECT_TRUE(std::equal(a.field(0).begin(), a.field(0).end(), b.field(0).begin()));
}

}  // namespace
