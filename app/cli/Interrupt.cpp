#include "Interrupt.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>

namespace cli {
namespace {
std::atomic<bool> interrupted{false};
extern "C" void onSignal(int) { interrupted.store(true); }
}  // namespace

const std::atomic<bool>* installInterruptHandler() {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  return &interrupted;
}

sky::Progress terminalProgress(const std::string& label) {
  const std::atomic<bool>* flag = installInterruptHandler();
  if (!isatty(STDERR_FILENO)) return sky::Progress({}, flag);
  return sky::Progress(
      [label](const sky::ProgressInfo& p) {
        std::fprintf(stderr, "\r%s %3.0f%% %lld/%lld rows%s", label.c_str(), 100 * p.fraction, p.evaluations,
                     p.totalEvaluations, p.secondsRemaining >= 0 ? "" : "");
        if (p.secondsRemaining >= 0) std::fprintf(stderr, ", ETA %.0f s   ", p.secondsRemaining);
        std::fflush(stderr);
      },
      flag);
}

}  // namespace cli
