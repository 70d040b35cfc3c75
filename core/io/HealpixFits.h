#pragma once
// HEALPix maps in healpy's FITS layout (docs/CONVENTIONS.md): a BINTABLE in HDU 1 with PIXTYPE,
// ORDERING, NSIDE, INDXSCHM=IMPLICIT, FIRSTPIX, LASTPIX; one column per field, 1024 values
// per row (or one per row for small maps); float32 or float64.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/AtomicFile.h"
#include "jobs/Progress.h"
#include "sky/SkyMap.h"

namespace sky {

struct FitsReadReport {
  std::vector<std::string> warnings;  // e.g. "no ORDERING keyword: assuming RING"
  std::string coordinateSystem;       // COORDSYS when present (G, E, C)
  bool storedAsFloat32 = false;
  long long partialSkyPixels = -1;  // pixels listed by a partial-sky file; -1 for full-sky maps
};

// Reads every field of a map, keeping its ordering. Partial-sky (explicitly indexed) files are
// read as healpy reads them: the pixels not listed are UNSEEN. Throws SkyError with a specific
// message: missing file, not FITS, not a HEALPix table, bad NSIDE, unknown ORDERING, row count
// vs NSIDE mismatch, pixel numbers out of range, truncated data. With `progress`, the values
// are read in chunks, reported ("reading", values done of all) and the read stops with
// SkyError(Cancelled) between chunks once its flag is raised. With `ordering`, the map comes
// back in that ordering, each chunk put in place as soon as it is read (on a second thread
// while the next chunk reads): a NESTED file is never held twice.
SkyMap readHealpixFits(const std::filesystem::path& path, FitsReadReport* report = nullptr,
                       Progress* progress = nullptr, std::optional<Ordering> ordering = std::nullopt);

enum class FitsPrecision { Float32, Float64 };

struct FitsWriteOptions {
  FitsPrecision precision = FitsPrecision::Float64;
  Overwrite overwrite = Overwrite::Refuse;
  std::string coordinateSystem;            // COORDSYS keyword, empty to omit
  std::vector<std::string> extraComments;  // HISTORY lines (e.g. how the map was made)
};

void writeHealpixFits(const SkyMap& map, const std::filesystem::path& path, const FitsWriteOptions& options = {});

}  // namespace sky
