// Planted violations for the sanitizer builds' own tests: each argument triggers one defect
// that AddressSanitizer, UndefinedBehaviorSanitizer or ThreadSanitizer must report.
#include <climits>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const volatile int index = 8;  // volatile: the compiler must not see the defect coming
  if (std::strcmp(argv[1], "heap-overflow") == 0) {
    std::vector<int> v(8);
    return v.data()[index];
  }
  if (std::strcmp(argv[1], "signed-overflow") == 0) {
    volatile int big = INT_MAX;
    return big + index > 0 ? 0 : 1;
  }
  if (std::strcmp(argv[1], "data-race") == 0) {
    int shared = 0;
    std::thread a([&] { for (int i = 0; i < 100000; ++i) shared = shared + 1; });
    std::thread b([&] { for (int i = 0; i < 100000; ++i) shared = shared + 1; });
    a.join();
    b.join();
    std::printf("%d\n", shared);
    return 0;
  }
  return 2;
}
