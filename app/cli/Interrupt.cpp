#include "Interrupt.h"

#include <pthread.h>
#include <semaphore.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

#include "io/AtomicFile.h"
#include "util/Error.h"

namespace cli {
namespace {

std::atomic<bool> interrupted{false};
sem_t signalled;  // posted by the handler (sem_post is async-signal-safe)

extern "C" void onSignal(int) {
  if (interrupted.exchange(true)) {
    // A second signal: the user insists. Leave at once; temporaries carry a .tmp- suffix.
    constexpr char message[] = "\nerror: interrupted again; stopped at once\n";
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(static_cast<int>(sky::ErrorKind::Cancelled));
  }
  ::sem_post(&signalled);
}

// Waits for the first signal, gives the command kStopGraceSeconds to stop by itself, then ends
// the process. A command that stops in time exits before this thread wakes again.
void watchdog() {
  pthread_setname_np(pthread_self(), "sky-watchdog");  // visible in /proc (tests wait for it)
  while (::sem_wait(&signalled) != 0 && errno == EINTR) {
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(kStopGraceSeconds));
  sky::removePendingTemporaryFiles();
  std::fprintf(stderr, "\nerror: interrupted; stopped (no output of the unfinished step was written)\n");
  std::fflush(stderr);
  ::_exit(static_cast<int>(sky::ErrorKind::Cancelled));
}

}  // namespace

const std::atomic<bool>* installInterruptHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    ::sem_init(&signalled, 0, 0);
    std::thread(watchdog).detach();
    struct sigaction action {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
  });
  return &interrupted;
}

sky::Progress terminalProgress(const std::string& label) {
  const std::atomic<bool>* flag = installInterruptHandler();
  if (!isatty(STDERR_FILENO)) return sky::Progress({}, flag);
  return sky::Progress(
      [label](const sky::ProgressInfo& p) {
        std::fprintf(stderr, "\r%s %3.0f%% %lld/%lld rows", label.c_str(), 100 * p.fraction, p.evaluations,
                     p.totalEvaluations);
        if (p.secondsRemaining >= 0) std::fprintf(stderr, ", ETA %.0f s   ", p.secondsRemaining);
        std::fflush(stderr);
      },
      flag);
}

}  // namespace cli
