#pragma once
// Ctrl-C, SIGTERM (timeout, scancel) and SIGINT raise a flag that long commands pass to core as
// their cancel flag: the job stops between batches and keeps what is finished, and outputs are
// written atomically, so no partial file is left. A watchdog makes that a promise: a command
// that has not ended within kStopGraceSeconds of the signal (a loop that cannot poll, such as
// one spherical-harmonic transform) is ended there, its temporary files removed, with exit 9.
#include <atomic>
#include <string>

#include "jobs/Progress.h"

namespace cli {

inline constexpr double kStopGraceSeconds = 0.8;

// Installs the handlers and the watchdog (once; later calls return the same flag).
const std::atomic<bool>* installInterruptHandler();
// A progress sink that prints "\r[stage] 42% 1200/3000 rows, ETA 12 s" on a terminal.
sky::Progress terminalProgress(const std::string& label);

}  // namespace cli
