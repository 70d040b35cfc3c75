#include <cstring>
#include <fstream>

#include "TestSupport.h"
#include "io/Npy.h"

using namespace sky;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::ScratchDir;

namespace {
std::vector<char> npyBytes(const std::string& descr, const std::string& shape, const std::vector<char>& data,
                           const std::string& fortran = "False") {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::string bytes = "\x93NUMPY";
  bytes += static_cast<char>(1);
  bytes += static_cast<char>(0);
  bytes += static_cast<char>(header.size() & 0xff);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes.append(data.data(), data.size());
  return std::vector<char>(bytes.begin(), bytes.end());
}
}  // namespace

TEST(Npy, ReadsNumpyFilesOfEveryDtypeWeUse) {
  const NpyArray f8 = readNpy(dataPath("sky/img_32x64.npy"));
  EXPECT_EQ(f8.dtype, "f8");
  EXPECT_EQ(f8.shape, (std::vector<size_t>{32, 64}));
  const NpyArray i8 = readNpy(dataPath("sky/pix_nside16_xsize64.npy"));
  EXPECT_EQ(i8.dtype, "i8");
  EXPECT_EQ(i8.values[i8.size() - 1], 0.0);  // north-pole row: pixel 0
  const NpyArray b1 = readNpy(dataPath("sky/seam_mask_nside16.npy"));
  EXPECT_EQ(b1.dtype, "b1");
}

TEST(Npy, RoundTripsDoublesFloatsAndIntegers) {
  ScratchDir dir;
  const std::vector<double> d = {1.5, -2.25, 1e300, std::nan("")};
  writeNpy(dir / "d.npy", {2, 2}, std::span<const double>(d));
  const NpyArray back = readNpy(dir / "d.npy");
  EXPECT_EQ(back.shape, (std::vector<size_t>{2, 2}));
  EXPECT_EQ(back.values[2], 1e300);
  EXPECT_TRUE(std::isnan(back.values[3]));
  const std::vector<float> f = {0.1f, 3.0f};
  writeNpy(dir / "f.npy", {2}, std::span<const float>(f));
  EXPECT_EQ(readNpy(dir / "f.npy").values[0], static_cast<double>(0.1f));
  const std::vector<int64_t> i = {-5, int64_t{1} << 40};
  writeNpy(dir / "i.npy", {1, 2}, std::span<const int64_t>(i));
  EXPECT_EQ(readNpy(dir / "i.npy").values[1], static_cast<double>(int64_t{1} << 40));
}

TEST(Npy, HeaderIsAlignedAsNumpyRequires) {
  ScratchDir dir;
  const std::vector<double> d(6, 1.0);
  writeNpy(dir / "d.npy", {2, 3}, std::span<const double>(d));
  EXPECT_EQ((std::filesystem::file_size(dir / "d.npy") - 48) % 64, 0u);
}

TEST(Npy, ReadsBigEndian) {
  double v = 2.5;
  std::vector<char> data(8);
  std::memcpy(data.data(), &v, 8);
  std::reverse(data.begin(), data.end());
  const NpyArray a = parseNpy(npyBytes(">f8", "(1,)", data), "be");
  EXPECT_EQ(a.values[0], 2.5);
}

TEST(Npy, RejectsBadFiles) {
  expectSkyError([] { readNpy("/nonexistent.npy"); }, ErrorKind::FileNotFound, "no such file");
  const std::vector<char> junk = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'};
  expectSkyError([&] { parseNpy(junk, "junk"); }, ErrorKind::InvalidFormat, "magic");
  expectSkyError([&] { parseNpy(npyBytes("<f8", "(4,)", std::vector<char>(16)), "short"); }, ErrorKind::InvalidData,
                 "truncated");
  expectSkyError([&] { parseNpy(npyBytes("<f8", "(2, 2)", std::vector<char>(32), "True"), "fortran"); },
                 ErrorKind::InvalidFormat, "Fortran");
  expectSkyError([&] { parseNpy(npyBytes("<c16", "(1,)", std::vector<char>(16)), "complex"); },
                 ErrorKind::InvalidFormat, "unsupported dtype");
  expectSkyError([&] { parseNpy(npyBytes("<f8", "(a,)", std::vector<char>(16)), "shape"); }, ErrorKind::InvalidFormat,
                 "malformed shape");
}
