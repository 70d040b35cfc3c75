#include "util/ProcessMemory.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "util/Error.h"

namespace sky {

void configureProcessMemory(int /*argc*/, char** argv) {
  if (std::getenv("SKY_NO_REEXEC") != nullptr) return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  const std::string tunables = current ? current : "";
  if (tunables.find("glibc.malloc.") != std::string::npos) return;  // set by us or by the user
  // Huge pages for big buffers; keep freed memory in the heap (no mmap/munmap per tensor),
  // which made LibTorch inference 4-13x faster here and its speed independent of history.
  // SKY_MALLOC=lean keeps only the huge pages: about half the peak memory, about half the speed.
  const char* mode = std::getenv("SKY_MALLOC");
  const bool lean = mode != nullptr && std::string(mode) == "lean";
  const std::string extended =
      (tunables.empty() ? "" : tunables + ":") + (lean ? std::string("glibc.malloc.hugetlb=1")
                                                       : std::string("glibc.malloc.hugetlb=1:glibc.malloc.mmap_max=0:"
                                                                     "glibc.malloc.trim_threshold=4294967296"));
  if (setenv("GLIBC_TUNABLES", extended.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc?): carry on with the default allocator.
  if (current)
    setenv("GLIBC_TUNABLES", current, 1);
  else
    unsetenv("GLIBC_TUNABLES");
}

double physicalMemoryBytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && pageSize > 0 ? static_cast<double>(pages) * static_cast<double>(pageSize) : 0.0;
}

void requireMemory(double bytes, const std::string& what) {
  const double available = physicalMemoryBytes();
  if (available <= 0 || bytes <= available) return;
  char text[160];
  std::snprintf(text, sizeof text, " needs %.3g GB of memory; this machine has %.3g GB", bytes / 1e9, available / 1e9);
  throw SkyError(ErrorKind::InvalidArgument, what + text);
}

}  // namespace sky
