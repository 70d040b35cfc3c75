// libFuzzer: the .npy parser must answer any byte string with an array or a SkyError.
#include <cstddef>
#include <cstdint>

#include "io/Npy.h"
#include "util/Error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const sky::NpyArray a = sky::parseNpy({reinterpret_cast<const char*>(data), size}, "fuzz");
    if (a.values.size() != a.size()) __builtin_trap();  // parsed arrays are complete
  } catch (const sky::SkyError&) {
  }
  return 0;
}
