#include "io/AtomicFile.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include "util/Error.h"

namespace sky {
namespace fs = std::filesystem;

void checkOutputPath(const fs::path& target, Overwrite overwrite) {
  std::error_code ec;
  if (fs::is_directory(target, ec)) {
    throw SkyError(ErrorKind::OutputUnwritable, "output path " + target.string() + " is a directory");
  }
  if (overwrite == Overwrite::Refuse && fs::exists(target, ec)) {
    throw SkyError(ErrorKind::OutputExists,
                   "output " + target.string() + " already exists (use --force to overwrite it)");
  }
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (!fs::is_directory(dir, ec)) {
    throw SkyError(ErrorKind::OutputUnwritable, "output directory " + dir.string() + " does not exist");
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    throw SkyError(ErrorKind::OutputUnwritable,
                   "output directory " + dir.string() + " is not writable: " + std::strerror(errno));
  }
}

void writeAtomically(const fs::path& target, Overwrite overwrite,
                     const std::function<void(const fs::path&)>& write) {
  checkOutputPath(target, overwrite);
  static std::atomic<unsigned> counter{0};
  fs::path temp = target;
  temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  try {
    write(temp);
  } catch (...) {
    std::error_code ec;
    fs::remove(temp, ec);
    throw;
  }
  if (overwrite == Overwrite::Refuse) {
    // link() fails if the target appeared meanwhile: never clobber a file we were told to keep.
    if (::link(temp.c_str(), target.c_str()) != 0) {
      const int err = errno;
      std::error_code ec;
      fs::remove(temp, ec);
      if (err == EEXIST) {
        throw SkyError(ErrorKind::OutputExists,
                       "output " + target.string() + " already exists (use --force to overwrite it)");
      }
      throw SkyError(ErrorKind::OutputUnwritable,
                     "cannot create " + target.string() + ": " + std::strerror(err));
    }
    std::error_code ec;
    fs::remove(temp, ec);
    return;
  }
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw SkyError(ErrorKind::OutputUnwritable, "cannot rename output into " + target.string() + ": " + ec.message());
  }
}

}  // namespace sky
