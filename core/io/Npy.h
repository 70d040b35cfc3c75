#pragma once
// NumPy .npy files (format 1.0-3.0): C-order arrays of float32/float64/int32/int64/uint8/bool,
// either byte order. Values are held as double (exact for every int32 and for int64 up to 2^53).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "io/AtomicFile.h"

namespace sky {

struct NpyArray {
  std::vector<size_t> shape;
  std::string dtype;  // numpy descr without byte order, e.g. "f8", "f4", "i8"
  std::vector<double> values;

  size_t size() const;
  std::string shapeText() const;  // "(3, 32, 64)"
};

NpyArray readNpy(const std::filesystem::path& path);
// Parses an in-memory .npy image (used by readNpy and by the fuzzer).
NpyArray parseNpy(std::span<const char> bytes, const std::string& name);

void writeNpy(const std::filesystem::path& path, const std::vector<size_t>& shape, std::span<const double> values,
              Overwrite overwrite = Overwrite::Refuse);
void writeNpy(const std::filesystem::path& path, const std::vector<size_t>& shape, std::span<const float> values,
              Overwrite overwrite = Overwrite::Refuse);
void writeNpy(const std::filesystem::path& path, const std::vector<size_t>& shape, std::span<const int64_t> values,
              Overwrite overwrite = Overwrite::Refuse);

}  // namespace sky
