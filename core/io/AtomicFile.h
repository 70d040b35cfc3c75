#pragma once
// Every output is written to a temporary file beside the target, flushed to disk (fsync) and
// renamed into place, so a crash, a full disk, a power cut or a cancelled job never leaves a
// half-written file under the real name. Only regular files are ever replaced: a device, FIFO,
// socket or directory at the target is refused, even with --force.
#include <filesystem>
#include <functional>
#include <vector>

namespace sky {

enum class Overwrite { Refuse, Allow };

// Calls `write(tempPath)`, then renames tempPath to `target`. Throws SkyError:
// OutputExists (target exists and overwrite is Refuse), OutputUnwritable (missing or read-only
// directory, target not a regular file, failed fsync or rename). The temporary file is removed
// whenever `write` throws, and messages name `target`, never the temporary file.
void writeAtomically(const std::filesystem::path& target, Overwrite overwrite,
                     const std::function<void(const std::filesystem::path& tempPath)>& write);

// Checks up front what writeAtomically would refuse, so a long job fails before it starts:
// the directory exists and a file can really be created there (a probe, so read-only file
// systems are caught even as root), and an existing target is a regular file we may replace.
void checkOutputPath(const std::filesystem::path& target, Overwrite overwrite);
// The same for every output of one command, and no two of them name the same file.
void checkOutputPaths(const std::vector<std::filesystem::path>& targets, Overwrite overwrite);

// Removes the temporary files of writes still in progress. For a forced exit (the CLI's
// interrupt watchdog); safe to call from any thread.
void removePendingTemporaryFiles();

// Throws SkyError(FileNotFound) unless `path` is an existing file that is not a directory
// (missing, a directory, or unreadable), with `what` (e.g. "model file") in the message.
void requireReadableFile(const std::filesystem::path& path, const std::string& what = "file");

}  // namespace sky
