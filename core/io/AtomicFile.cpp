#include "io/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <string>

#include "util/Error.h"

namespace sky {
namespace fs = std::filesystem;
namespace {

std::mutex pendingMutex;
std::set<std::string>& pendingTemporaries() {
  static std::set<std::string> files;
  return files;
}

// Registers a temporary file for the lifetime of one write, so a forced exit can remove it.
class PendingTemporary {
 public:
  explicit PendingTemporary(const fs::path& path) : path_(path.string()) {
    std::lock_guard lock(pendingMutex);
    pendingTemporaries().insert(path_);
  }
  ~PendingTemporary() {
    std::lock_guard lock(pendingMutex);
    pendingTemporaries().erase(path_);
  }
  PendingTemporary(const PendingTemporary&) = delete;
  PendingTemporary& operator=(const PendingTemporary&) = delete;

 private:
  std::string path_;
};

std::string kindOfFile(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::fifo:
      return "a FIFO";
    case fs::file_type::socket:
      return "a socket";
    default:
      return "not a regular file";
  }
}

// An existing target must be a regular file (symbolic links are followed).
void requireReplaceable(const fs::path& target) {
  std::error_code ec;
  const fs::file_status status = fs::status(target, ec);
  if (!fs::exists(status) || fs::is_regular_file(status)) return;
  throw SkyError(ErrorKind::OutputUnwritable, "output " + target.string() + " is " + kindOfFile(status.type()) +
                                                  "; only regular files are written or replaced");
}

fs::path directoryOf(const fs::path& target) {
  return target.parent_path().empty() ? fs::path(".") : target.parent_path();
}

std::atomic<unsigned> counter{0};
fs::path uniqueSibling(const fs::path& target, const std::string& tag) {
  fs::path p = target;
  p += "." + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  return p;
}

// Creating (and removing) a file is the only sure test: access(W_OK) says yes to root on a
// read-only file system.
void probeDirectory(const fs::path& target) {
  const fs::path dir = directoryOf(target);
  const fs::path probe = uniqueSibling(dir / ".skyinterpret-probe", "p");
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw SkyError(ErrorKind::OutputUnwritable, "cannot create " + target.string() + ": directory " + dir.string() +
                                                    " is not writable (" + std::strerror(errno) + ")");
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

void syncPath(const fs::path& path, int flags, const fs::path& target) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return;  // nothing to flush
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  // Directories on some file systems do not support fsync (EINVAL): nothing to lose there.
  if (rc != 0 && err != EINVAL && err != EROFS) {
    throw SkyError(ErrorKind::OutputUnwritable, "cannot flush " + target.string() + " to disk: " + std::strerror(err));
  }
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); !from.empty() && pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

}  // namespace

void checkOutputPath(const fs::path& target, Overwrite overwrite) {
  std::error_code ec;
  requireReplaceable(target);
  if (overwrite == Overwrite::Refuse && fs::exists(target, ec)) {
    throw SkyError(ErrorKind::OutputExists,
                   "output " + target.string() + " already exists (use --force to overwrite it)");
  }
  const fs::path dir = directoryOf(target);
  if (!fs::is_directory(dir, ec)) {
    throw SkyError(ErrorKind::OutputUnwritable, "output directory " + dir.string() + " does not exist");
  }
  probeDirectory(target);
}

void checkOutputPaths(const std::vector<fs::path>& targets, Overwrite overwrite) {
  std::set<fs::path> seen;
  for (const fs::path& target : targets) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(target, ec), ec);
    if (!seen.insert(ec ? target : canonical).second) {
      throw SkyError(ErrorKind::InvalidArgument, "two outputs of this command name the same file " + target.string());
    }
    checkOutputPath(target, overwrite);
  }
}

void removePendingTemporaryFiles() {
  std::lock_guard lock(pendingMutex);
  for (const std::string& path : pendingTemporaries()) ::unlink(path.c_str());
}

void requireReadableFile(const fs::path& path, const std::string& what) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) throw SkyError(ErrorKind::FileNotFound, "no such " + what + ": " + path.string());
  // A FIFO or device would block or never end: inputs are read whole, so only regular files.
  if (!fs::is_regular_file(status)) {
    throw SkyError(ErrorKind::FileNotFound, path.string() + " is " + kindOfFile(status.type()) + ", not a " + what);
  }
  if (::access(path.c_str(), R_OK) != 0) {
    throw SkyError(ErrorKind::FileNotFound, "cannot read " + what + " " + path.string() + ": " + std::strerror(errno));
  }
}

void writeAtomically(const fs::path& target, Overwrite overwrite, const std::function<void(const fs::path&)>& write) {
  checkOutputPath(target, overwrite);
  const fs::path temp = uniqueSibling(target, "tmp");
  const PendingTemporary pending(temp);
  std::error_code ec;
  try {
    write(temp);
    syncPath(temp, O_RDONLY, target);
    requireReplaceable(target);  // the target may have changed while we wrote
  } catch (const SkyError& e) {
    fs::remove(temp, ec);
    throw SkyError(e.kind(), replaceAll(e.what(), temp.string(), target.string()));
  } catch (...) {
    fs::remove(temp, ec);
    throw;
  }
  if (overwrite == Overwrite::Refuse) {
    // link() fails if the target appeared meanwhile: never clobber a file we were told to keep.
    if (::link(temp.c_str(), target.c_str()) != 0) {
      const int err = errno;
      fs::remove(temp, ec);
      if (err == EEXIST) {
        throw SkyError(ErrorKind::OutputExists,
                       "output " + target.string() + " already exists (use --force to overwrite it)");
      }
      throw SkyError(ErrorKind::OutputUnwritable, "cannot create " + target.string() + ": " + std::strerror(err));
    }
    fs::remove(temp, ec);
  } else {
    fs::rename(temp, target, ec);
    if (ec) {
      const std::string reason = ec.message();
      fs::remove(temp, ec);
      throw SkyError(ErrorKind::OutputUnwritable, "cannot rename output into " + target.string() + ": " + reason);
    }
  }
  syncPath(directoryOf(target), O_RDONLY | O_DIRECTORY, target);
}

}  // namespace sky
