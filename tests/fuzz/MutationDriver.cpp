// A small stand-in for libFuzzer's driver, so the harnesses also run in the ordinary g++ build
// (CI): it replays the corpus, then mutates corpus inputs at random for a fixed time and feeds
// each to the same LLVMFuzzerTestOneInput. No coverage guidance and no sanitizers: this keeps
// the readers honest on every build; the libFuzzer build (README, "Fuzzing") explores deeply.
// A failure is a crash, a trap in the harness or an exception other than SkyError, all of
// which end the process abnormally; the last input is kept in $SKY_FUZZ_CRASH_DIR (if set).
//   usage: HARNESS CORPUS_DIR SECONDS [SEED]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

std::vector<Bytes> readCorpus(const std::filesystem::path& dir) {
  std::vector<Bytes> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream f(entry.path(), std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  return corpus;
}

// One random edit of the kinds that break parsers: bit flips, boundary bytes, cut, repeated or
// inserted ranges, a splice with another input, and digit runs turned into huge numbers.
void mutate(Bytes& b, const std::vector<Bytes>& corpus, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return n == 0 ? size_t{0} : static_cast<size_t>(rng() % n); };
  static const uint8_t interesting[] = {0,   1,   0x7f, 0x80, 0xff, '0', '9', ' ', '\'', '"',
                                        '{', '}', '[',  ']',  ',',  ':', '-', '.', 'e'};
  switch (rng() % 8) {
    case 0:
      if (!b.empty()) b[pick(b.size())] ^= static_cast<uint8_t>(1u << (rng() % 8));
      break;
    case 1:
      if (!b.empty()) b[pick(b.size())] = interesting[pick(sizeof interesting)];
      break;
    case 2:
      b.resize(pick(b.size() + 1));
      break;
    case 3: {
      if (b.empty()) break;
      const size_t at = pick(b.size()), len = std::min(b.size() - at, pick(256) + 1);
      b.erase(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + len));
      break;
    }
    case 4: {
      if (b.empty()) break;
      const size_t at = pick(b.size()), len = std::min(b.size() - at, pick(2880) + 1);
      const Bytes chunk(b.begin() + static_cast<long>(at), b.begin() + static_cast<long>(at + len));
      b.insert(b.begin() + static_cast<long>(pick(b.size() + 1)), chunk.begin(), chunk.end());
      break;
    }
    case 5: {
      Bytes noise(pick(64) + 1);
      for (auto& x : noise) x = static_cast<uint8_t>(rng());
      b.insert(b.begin() + static_cast<long>(pick(b.size() + 1)), noise.begin(), noise.end());
      break;
    }
    case 6: {
      const Bytes& other = corpus[pick(corpus.size())];
      const size_t keep = pick(b.size() + 1), from = pick(other.size() + 1);
      b.resize(keep);
      b.insert(b.end(), other.begin() + static_cast<long>(from), other.end());
      break;
    }
    default: {
      // The first digit at or after a random place becomes a run of 9s or a minus sign.
      for (size_t i = pick(b.size() + 1); i < b.size(); ++i) {
        if (b[i] < '0' || b[i] > '9') continue;
        static const std::string replacements[] = {"99999999999999999999", "-1", "0", "4294967296", "1e308", "nan"};
        const std::string& r = replacements[pick(std::size(replacements))];
        b.erase(b.begin() + static_cast<long>(i));
        b.insert(b.begin() + static_cast<long>(i), r.begin(), r.end());
        break;
      }
    }
  }
}

void keepForReplay(const Bytes& input) {
  const char* dir = std::getenv("SKY_FUZZ_CRASH_DIR");
  if (!dir) return;
  std::ofstream(std::filesystem::path(dir) / "last-input", std::ios::binary)
      .write(reinterpret_cast<const char*>(input.data()), static_cast<std::streamsize>(input.size()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR SECONDS [SEED]\n", argv[0]);
    return 2;
  }
  const std::vector<Bytes> corpus = readCorpus(argv[1]);
  if (corpus.empty()) {
    std::fprintf(stderr, "fuzz: no corpus files in %s\n", argv[1]);
    return 2;
  }
  const double seconds = std::atof(argv[2]);
  std::mt19937_64 rng(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1);
  for (const Bytes& input : corpus) {
    keepForReplay(input);
    LLVMFuzzerTestOneInput(input.data(), input.size());
  }
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  long long runs = 0;
  while (std::chrono::steady_clock::now() < end) {
    Bytes input = corpus[static_cast<size_t>(rng() % corpus.size())];
    for (int k = 1 + static_cast<int>(rng() % 4); k > 0; --k) mutate(input, corpus, rng);
    keepForReplay(input);
    LLVMFuzzerTestOneInput(input.data(), input.size());
    ++runs;
  }
  std::printf("fuzz: %lld mutated inputs from %zu corpus files in %.0f s: no crash\n", runs, corpus.size(), seconds);
  return 0;
}
