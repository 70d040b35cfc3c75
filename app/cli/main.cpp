// skyinterpret-cli: the SkyInterpret engine without a display, for scripts and clusters.
#include <omp.h>

#include <cstring>
#include <iostream>
#include <new>

#include "Arguments.h"
#include "Commands.h"
#include "ExplainerOptions.h"
#include "Interrupt.h"
#include "ModelBackend.h"
#include "util/Error.h"
#include "util/ProcessMemory.h"

namespace {

void printHelp() {
  std::cout << "skyinterpret-cli " SKY_VERSION
               " - HEALPix sky maps and classifier attributions, headless\n\n"
               "usage: skyinterpret-cli [--threads N] COMMAND [ARGS]\n\ncommands:\n";
  for (const auto& c : cli::commands()) std::cout << "  " << c.usage << "\n      " << c.summary << "\n";
  std::cout << "\n" << cli::methodsHelp();
  std::cout
      << "\nForward-only work (partition, occlusion, evaluate, ablate, sensitivity, faithfulness) runs an\n"
         "inference-optimised copy of the model: frozen, batch norm folded, oneDNN convolutions, in the memory\n"
         "format and call size measured fastest. Its outputs agree with the saved module to float32 rounding\n"
         "(checked on the first batch; on disagreement the saved module is used and the run says so).\n"
         "--exact-model runs the module as saved: bit-identical with PyTorch and shap. Gradient methods always do.\n";
  std::cout << "\nExit codes: 0 ok, 1 internal error, 2 usage, 3 missing/unreadable input, 4 invalid format,\n"
               "5 invalid data, 6 invalid argument, 7 output exists (use --force), 8 output not writable,\n"
               "9 cancelled, 10 batch finished with failed inputs.\n";
}

}  // namespace

int main(int argc, char** argv) {
  sky::configureProcessMemory(argc, argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  // Global options come before the command.
  while (!args.empty() && args[0].rfind("--", 0) == 0) {
    if (args[0] == "--help" || args[0] == "-h") {
      printHelp();
      return 0;
    }
    if (args[0] == "--version") {
      std::cout << "skyinterpret-cli " SKY_VERSION "\n";
      return 0;
    }
    if (args[0] == "--threads" && args.size() > 1) {
      try {
        const int threads = cli::checkedThreadCount(args[1], "threads");
        if (threads < 1) throw sky::SkyError(sky::ErrorKind::Usage, "--threads expects a positive integer");
        omp_set_num_threads(threads);
      } catch (const sky::SkyError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return e.exitCode();
      }
      args.erase(args.begin(), args.begin() + 2);
      continue;
    }
    std::cerr << "error: unknown global option " << args[0] << " (see --help)\n";
    return static_cast<int>(sky::ErrorKind::Usage);
  }
  if (args.empty()) {
    printHelp();
    return static_cast<int>(sky::ErrorKind::Usage);
  }
  const std::string name = args[0];
  args.erase(args.begin());
  // Every command ends within a second of SIGINT/SIGTERM (Interrupt.h).
  cli::installInterruptHandler();
  for (const auto& command : cli::commands()) {
    if (name != command.name) continue;
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
      std::cout << "usage: skyinterpret-cli " << command.usage << "\n" << command.summary << "\n";
      if (command.usage.find("--method") != std::string::npos) std::cout << "\n" << cli::methodsHelp();
      return 0;
    }
    if (!command.run) return cli::runInModelBackend(argv);
    try {
      return command.run(args);
    } catch (const sky::SkyError& e) {
      std::cerr << "error: " << e.what() << "\n";
      return e.exitCode();
    } catch (const std::bad_alloc&) {
      std::cerr << "error: out of memory\n";
      return static_cast<int>(sky::ErrorKind::Internal);
    } catch (const std::exception& e) {
      std::cerr << "internal error: " << e.what() << "\n";
      return static_cast<int>(sky::ErrorKind::Internal);
    }
  }
  std::cerr << "error: unknown command '" << name << "' (see --help)\n";
  return static_cast<int>(sky::ErrorKind::Usage);
}
