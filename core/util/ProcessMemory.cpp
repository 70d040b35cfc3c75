#include "util/ProcessMemory.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace sky {

void configureProcessMemory(int /*argc*/, char** argv) {
  if (std::getenv("SKY_NO_REEXEC") != nullptr) return;
  const char* current = std::getenv("GLIBC_TUNABLES");
  const std::string tunables = current ? current : "";
  if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;  // set by us or the user
  const std::string extended = (tunables.empty() ? "" : tunables + ":") + "glibc.malloc.hugetlb=1";
  if (setenv("GLIBC_TUNABLES", extended.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc?): carry on with the default allocator.
  if (current) setenv("GLIBC_TUNABLES", current, 1);
  else unsetenv("GLIBC_TUNABLES");
}

}  // namespace sky
