#include "io/Npy.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "util/Error.h"

namespace sky {
namespace {

[[noreturn]] void bad(const std::string& name, const std::string& what) {
  throw SkyError(ErrorKind::InvalidFormat, name + ": not a readable .npy file: " + what);
}

// Value of `key` in the header dict, as raw text up to the next top-level comma or '}'.
std::string dictValue(const std::string& header, const std::string& key, const std::string& name) {
  const std::string quoted[] = {"'" + key + "'", "\"" + key + "\""};
  size_t pos = std::string::npos;
  for (const auto& q : quoted) pos = std::min(pos, header.find(q));
  if (pos == std::string::npos) bad(name, "header has no '" + key + "'");
  pos = header.find(':', pos);
  if (pos == std::string::npos) bad(name, "malformed header");
  ++pos;
  int depth = 0;
  size_t end = pos;
  for (; end < header.size(); ++end) {
    const char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && (c == ',' || c == '}')) break;
    if (depth < 0) bad(name, "malformed header");
  }
  std::string v = header.substr(pos, end - pos);
  v.erase(0, v.find_first_not_of(" \t"));
  v.erase(v.find_last_not_of(" \t") + 1);
  return v;
}

std::vector<size_t> parseShape(const std::string& text, const std::string& name) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') bad(name, "malformed shape " + text);
  std::vector<size_t> shape;
  std::stringstream ss(text.substr(1, text.size() - 2));
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \tL") + 1);
    if (item.empty()) continue;
    if (!std::all_of(item.begin(), item.end(), [](char c) { return c >= '0' && c <= '9'; }) || item.size() > 15) {
      bad(name, "malformed shape " + text);
    }
    shape.push_back(std::stoull(item));
  }
  return shape;
}

template <typename T>
void convert(const char* src, size_t count, bool swap, std::vector<double>& out) {
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    char buf[sizeof(T)];
    std::memcpy(buf, src + i * sizeof(T), sizeof(T));
    if (swap) std::reverse(buf, buf + sizeof(T));
    T v;
    std::memcpy(&v, buf, sizeof(T));
    out[i] = static_cast<double>(v);
  }
}

template <typename T>
void writeTyped(const std::filesystem::path& path, const std::vector<size_t>& shape, std::span<const T> values,
                const char* descr, Overwrite overwrite) {
  size_t count = 1;
  for (size_t d : shape) count *= d;
  if (count != values.size()) {
    throw SkyError(ErrorKind::Internal, "writeNpy: shape does not match the number of values");
  }
  std::string shapeText = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    shapeText += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
  shapeText += ")";
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
  const size_t preamble = 10;  // magic(6) + version(2) + header length(2)
  header.append(64 - (preamble + header.size() + 1) % 64, ' ');
  header += '\n';
  writeAtomically(path, overwrite, [&](const std::filesystem::path& temp) {
    std::ofstream f(temp, std::ios::binary);
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "cannot create " + temp.string());
    const uint16_t len = static_cast<uint16_t>(header.size());
    f.write("\x93NUMPY\x01\x00", 8);
    const char lenBytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    f.write(lenBytes, 2);
    f.write(header.data(), static_cast<std::streamsize>(header.size()));
    f.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
    f.close();
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "writing " + path.string() + " failed (disk full?)");
  });
}

}  // namespace

size_t NpyArray::size() const {
  size_t n = 1;
  for (size_t d : shape) n *= d;
  return n;
}

std::string NpyArray::shapeText() const {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

NpyArray parseNpy(std::span<const char> bytes, const std::string& name) {
  static_assert(std::endian::native == std::endian::little, "SkyInterpret assumes a little-endian host");
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) bad(name, "missing the \\x93NUMPY magic");
  const auto major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen = 0, offset = 0;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) bad(name, "truncated header");
    for (int i = 3; i >= 0; --i) headerLen = headerLen << 8 | static_cast<unsigned char>(bytes[8 + i]);
    offset = 12;
  } else {
    bad(name, "unsupported format version " + std::to_string(major));
  }
  if (bytes.size() < offset + headerLen) bad(name, "truncated header");
  const std::string header(bytes.data() + offset, headerLen);
  offset += headerLen;

  std::string descr = dictValue(header, "descr", name);
  if (descr.size() < 4 || (descr.front() != '\'' && descr.front() != '"')) bad(name, "malformed descr " + descr);
  descr = descr.substr(1, descr.size() - 2);
  if (dictValue(header, "fortran_order", name) != "False") {
    throw SkyError(ErrorKind::InvalidFormat,
                   name + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
  }
  NpyArray arr;
  arr.shape = parseShape(dictValue(header, "shape", name), name);
  const char order = descr[0];
  arr.dtype = descr.substr(1);
  if (order != '<' && order != '>' && order != '|' && order != '=') bad(name, "unknown byte order in " + descr);
  const bool swap = order == '>';

  size_t count = 1;
  for (size_t d : arr.shape) {
    if (d != 0 && count > std::numeric_limits<size_t>::max() / 16 / d) bad(name, "shape too large");
    count *= d;
  }
  const size_t available = bytes.size() - offset;
  const char* data = bytes.data() + offset;
  auto need = [&](size_t itemSize) {
    if (available < count * itemSize) {
      throw SkyError(ErrorKind::InvalidData, name + ": truncated: shape " + arr.shapeText() + " needs " +
                                                 std::to_string(count * itemSize) + " bytes of data, file has " +
                                                 std::to_string(available));
    }
  };
  if (arr.dtype == "f8") {
    need(8);
    convert<double>(data, count, swap, arr.values);
  } else if (arr.dtype == "f4") {
    need(4);
    convert<float>(data, count, swap, arr.values);
  } else if (arr.dtype == "i8") {
    need(8);
    convert<int64_t>(data, count, swap, arr.values);
  } else if (arr.dtype == "i4") {
    need(4);
    convert<int32_t>(data, count, swap, arr.values);
  } else if (arr.dtype == "u1" || arr.dtype == "b1") {
    need(1);
    convert<uint8_t>(data, count, false, arr.values);
  } else {
    throw SkyError(ErrorKind::InvalidFormat,
                   name + ": unsupported dtype '" + descr + "' (use float32, float64, int32, int64, uint8 or bool)");
  }
  return arr;
}

NpyArray readNpy(const std::filesystem::path& path) {
  requireReadableFile(path);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw SkyError(ErrorKind::FileNotFound, "cannot open " + path.string() + ": " + std::strerror(errno));
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return parseNpy(bytes, path.string());
}

void writeNpy(const std::filesystem::path& path, const std::vector<size_t>& shape, std::span<const double> values,
              Overwrite overwrite) {
  writeTyped(path, shape, values, "<f8", overwrite);
}
void writeNpy(const std::filesystem::path& path, const std::vector<size_t>& shape, std::span<const float> values,
              Overwrite overwrite) {
  writeTyped(path, shape, values, "<f4", overwrite);
}
void writeNpy(const std::filesystem::path& path, const std::vector<size_t>& shape, std::span<const int64_t> values,
              Overwrite overwrite) {
  writeTyped(path, shape, values, "<i8", overwrite);
}

}  // namespace sky
