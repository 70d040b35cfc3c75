#pragma once
// The inputs of a batch run: a list file, a glob, a directory or one file, resolved to a sorted
// list in which each input has a stable key that names its outputs.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace sky {

struct BatchInput {
  std::filesystem::path path;
  // The path relative to the inputs' common directory, '/' as "__", without the suffix:
  // unique within the batch and the same on every rank and every rerun.
  std::string key;
};

// `spec` is one of: a pattern with * ? or [ ] (glob(3)); a directory (its .fits, .fit,
// .fits.gz and .npy files); a .fits/.npy file; or a text file listing one input per line
// ('#' starts a comment; relative paths are relative to the list file). Sorted by path,
// duplicates removed. Throws SkyError: FileNotFound (nothing matched, a listed file missing),
// InvalidArgument (an input that is neither FITS nor NPY).
std::vector<BatchInput> resolveBatchInputs(const std::string& spec);

bool isFitsPath(const std::filesystem::path& path);
bool isNpyPath(const std::filesystem::path& path);

// "--shard i/N" (0 <= i < N): this process takes inputs i, i+N, i+2N... of the sorted list, so
// N scheduler array tasks with the same arguments cover every input exactly once.
struct Shard {
  int index = 0;
  int count = 1;
  static Shard parse(const std::string& text);
  bool owns(size_t inputIndex) const { return static_cast<int>(inputIndex % static_cast<size_t>(count)) == index; }
};

}  // namespace sky
