#pragma once
// Every output is written to a temporary file beside the target and renamed into place, so a
// crash, a full disk or a cancelled job never leaves a half-written file under the real name.
#include <filesystem>
#include <functional>

namespace sky {

enum class Overwrite { Refuse, Allow };

// Calls `write(tempPath)`, then renames tempPath to `target`. Throws SkyError:
// OutputExists (target exists and overwrite is Refuse), OutputUnwritable (missing or read-only
// directory, failed rename). The temporary file is removed whenever `write` throws.
void writeAtomically(const std::filesystem::path& target, Overwrite overwrite,
                     const std::function<void(const std::filesystem::path& tempPath)>& write);

// Checks up front what writeAtomically would refuse, so a long job fails before it starts.
void checkOutputPath(const std::filesystem::path& target, Overwrite overwrite);

}  // namespace sky
