// libFuzzer: the HEALPix FITS reader must answer any file with a map or a SkyError.
// cfitsio reads from disk, so each input is written to a per-process file in /dev/shm.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "io/HealpixFits.h"
#include "util/Error.h"

// A header may announce absurd sizes; cfitsio then asks calloc for petabytes. glibc returns NULL
// and cfitsio reports an error (the reader turns it into a SkyError), so let ASan do the same.
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/dev/shm/sky-fuzz-" + std::to_string(getpid()) + ".fits";
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const sky::SkyMap map = sky::readHealpixFits(path);
    if (map.field(0).size() != static_cast<size_t>(map.npix())) __builtin_trap();
  } catch (const sky::SkyError&) {
  }
  return 0;
}
