#pragma once
// Ctrl-C (SIGINT/SIGTERM) raises a flag that long commands pass to core as their cancel flag:
// the job stops between batches and, since outputs are written atomically, leaves no partial file.
#include <atomic>

#include "jobs/Progress.h"

namespace cli {

const std::atomic<bool>* installInterruptHandler();
// A progress sink that prints "\r[stage] 42% 1200/3000 rows, ETA 12 s" on a terminal.
sky::Progress terminalProgress(const std::string& label);

}  // namespace cli
