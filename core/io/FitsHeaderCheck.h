#pragma once
// A pre-parse of the raw header cards of a FITS file's primary HDU and first extension,
// run before cfitsio opens the file. Debian's cfitsio 4.2 aborts the process (a strcpy
// overflow in ffgtbp, found by tests/fuzz/fuzz_fits) on an unquoted 70-character TTYPEn;
// malformed files must give an error, never a crash.
#include <filesystem>
#include <string>

namespace sky {

// Throws SkyError(InvalidFormat) naming the offending card.
void checkFitsHeaderCards(const std::filesystem::path& path, const std::string& displayName);

}  // namespace sky
