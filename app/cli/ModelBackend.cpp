#include "ModelBackend.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "util/Error.h"

namespace cli {

namespace fs = std::filesystem;

int runInModelBackend(char** argv) {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  const fs::path here = error ? fs::path(argv[0]).parent_path() : self.parent_path();
  // Beside the front end in the build tree; under libexec when installed.
  const fs::path candidates[] = {here / "skyinterpret-cli-model",
                                 here / ".." / "libexec" / "skyinterpret" / "skyinterpret-cli-model"};
  for (const fs::path& helper : candidates) {
    if (access(helper.c_str(), X_OK) != 0) continue;
    execv(helper.c_str(), argv);
    std::cerr << "error: cannot run " << helper.string() << ": " << std::strerror(errno) << "\n";
    return static_cast<int>(sky::ErrorKind::Internal);
  }
  std::cerr << "error: this command runs a model, which needs skyinterpret-cli-model; it is neither in "
            << here.string() << " nor in " << (here / ".." / "libexec" / "skyinterpret").lexically_normal().string()
            << " (the installation is incomplete)\n";
  return static_cast<int>(sky::ErrorKind::Internal);
}

}  // namespace cli
