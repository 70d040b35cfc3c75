#include <fitsio.h>

#include <fstream>

#include "TestSupport.h"
#include "io/HealpixFits.h"
#include "io/JsonValue.h"

using namespace sky;
using skytest::dataPath;
using skytest::expectSkyError;
using skytest::fixture;
using skytest::ScratchDir;

namespace {

std::filesystem::path copyFixture(const ScratchDir& dir, const std::string& name) {
  const auto target = dir / name;
  std::filesystem::copy_file(dataPath("sky/" + name), target);
  return target;
}

// Rewrites one string keyword of HDU 1 (or deletes it when value is empty).
void editKeyword(const std::filesystem::path& file, const char* key, const std::string& value) {
  fitsfile* f = nullptr;
  int status = 0, type = 0;
  fits_open_diskfile(&f, file.c_str(), READWRITE, &status);
  fits_movabs_hdu(f, 2, &type, &status);
  if (value.empty()) {
    fits_delete_key(f, key, &status);
  } else {
    fits_update_key(f, TSTRING, key, const_cast<char*>(value.c_str()), nullptr, &status);
  }
  fits_close_file(f, &status);
  ASSERT_EQ(status, 0);
}

void editIntKeyword(const std::filesystem::path& file, const char* key, long long value) {
  fitsfile* f = nullptr;
  int status = 0, type = 0;
  fits_open_diskfile(&f, file.c_str(), READWRITE, &status);
  fits_movabs_hdu(f, 2, &type, &status);
  fits_update_key(f, TLONGLONG, key, &value, nullptr, &status);
  fits_close_file(f, &status);
  ASSERT_EQ(status, 0);
}

SkyMap randomMap(int nside, int fields, Ordering ordering, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> gauss;
  std::vector<std::vector<double>> data(fields, std::vector<double>(npixForNside(nside)));
  for (auto& f : data)
    for (double& v : f) v = gauss(rng);
  data[0][3] = kUnseen;
  return SkyMap(nside, ordering, std::move(data), {}, "uK");
}

}  // namespace

TEST(HealpixFits, ReadsHealpyReferenceMap) {
  const SkyMap map = readHealpixFits(dataPath("sky/T_n16_0.fits"));
  EXPECT_EQ(map.nside(), 16);
  EXPECT_EQ(map.ordering(), Ordering::Ring);
  EXPECT_EQ(map.fieldCount(), 1);
}

TEST(HealpixFits, ReadsFloat32ThreeFieldsOnePerRow) {
  // nside 8 has 768 pixels: healpy writes one value per row.
  FitsReadReport report;
  const SkyMap map = readHealpixFits(dataPath("sky/tqu_n8_ring_f32.fits"), &report);
  EXPECT_EQ(map.nside(), 8);
  EXPECT_EQ(map.fieldCount(), 3);
  EXPECT_TRUE(report.storedAsFloat32);
  EXPECT_EQ(map.fieldName(1), "Q_POLARISATION");
  EXPECT_EQ(map.unit(), "uK");
}

TEST(HealpixFits, NestedAndOneValuePerRowFilesGiveTheSameSky) {
  const auto ringValues = fixture("t_n32_ring_values.npy").values;
  const SkyMap nested = readHealpixFits(dataPath("sky/t_n32_nest_f64.fits"));
  EXPECT_EQ(nested.ordering(), Ordering::Nested);
  const SkyMap asRing = nested.toOrdering(Ordering::Ring);
  EXPECT_TRUE(std::equal(ringValues.begin(), ringValues.end(), asRing.field(0).begin()));
  const SkyMap oneRow = readHealpixFits(dataPath("sky/t_n32_ring_onerow.fits"));
  EXPECT_TRUE(std::equal(ringValues.begin(), ringValues.end(), oneRow.field(0).begin()));
}

TEST(HealpixFits, KeepsUnseenAndNaN) {
  const SkyMap map = readHealpixFits(dataPath("sky/tqu_n16_masked.fits"));
  EXPECT_TRUE(std::isnan(map.field(0)[5]));
  int masked = 0;
  for (double v : map.field(1)) masked += isMasked(v);
  EXPECT_GT(masked, 0);
}

class FitsRoundTrip : public ::testing::TestWithParam<std::tuple<int, int, Ordering, FitsPrecision>> {};

TEST_P(FitsRoundTrip, WriteThenReadIsExact) {
  const auto [nside, fields, ordering, precision] = GetParam();
  ScratchDir dir;
  const SkyMap map = randomMap(nside, fields, ordering, 11);
  FitsWriteOptions options;
  options.precision = precision;
  writeHealpixFits(map, dir / "m.fits", options);
  const SkyMap back = readHealpixFits(dir / "m.fits");
  EXPECT_EQ(back.nside(), nside);
  EXPECT_EQ(back.ordering(), ordering);
  EXPECT_EQ(back.fieldNames(), map.fieldNames());
  EXPECT_EQ(back.unit(), "uK");
  for (int f = 0; f < fields; ++f) {
    for (int64_t p = 0; p < map.npix(); ++p) {
      const double expected = precision == FitsPrecision::Float64
                                  ? map.field(f)[p]
                                  : static_cast<double>(static_cast<float>(map.field(f)[p]));
      ASSERT_EQ(back.field(f)[p], expected) << "field " << f << " pixel " << p;
    }
  }
  EXPECT_TRUE(isMasked(back.field(0)[3]));
}

INSTANTIATE_TEST_SUITE_P(Layouts, FitsRoundTrip,
                         ::testing::Values(std::tuple{16, 1, Ordering::Ring, FitsPrecision::Float64},
                                           std::tuple{16, 3, Ordering::Nested, FitsPrecision::Float64},
                                           std::tuple{8, 3, Ordering::Ring, FitsPrecision::Float32},
                                           std::tuple{64, 1, Ordering::Nested, FitsPrecision::Float32},
                                           std::tuple{1, 1, Ordering::Ring, FitsPrecision::Float64}));

TEST(HealpixFits, WritesHealpyLayoutKeywords) {
  ScratchDir dir;
  writeHealpixFits(randomMap(32, 3, Ordering::Ring, 3), dir / "m.fits");
  fitsfile* f = nullptr;
  int status = 0, type = 0;
  fits_open_diskfile(&f, (dir / "m.fits").c_str(), READONLY, &status);
  fits_movabs_hdu(f, 2, &type, &status);
  EXPECT_EQ(type, BINARY_TBL);
  char value[FLEN_VALUE];
  auto key = [&](const char* k) {
    int s = 0;
    fits_read_key(f, TSTRING, k, value, nullptr, &s);
    return s == 0 ? std::string(value) : std::string("<missing>");
  };
  EXPECT_EQ(key("PIXTYPE"), "HEALPIX");
  EXPECT_EQ(key("ORDERING"), "RING");
  EXPECT_EQ(key("INDXSCHM"), "IMPLICIT");
  EXPECT_EQ(key("NSIDE"), "32");
  EXPECT_EQ(key("FIRSTPIX"), "0");
  EXPECT_EQ(key("LASTPIX"), "12287");
  EXPECT_EQ(key("TFORM1"), "1024D");
  EXPECT_EQ(key("TTYPE3"), "U_POLARISATION");
  long rows = 0;
  fits_get_num_rows(f, &rows, &status);
  EXPECT_EQ(rows, 12);
  fits_close_file(f, &status);
  EXPECT_EQ(status, 0);
}

TEST(HealpixFits, RefusesToOverwriteUnlessAllowed) {
  ScratchDir dir;
  const SkyMap a = randomMap(4, 1, Ordering::Ring, 1), b = randomMap(4, 1, Ordering::Ring, 2);
  writeHealpixFits(a, dir / "m.fits");
  expectSkyError([&] { writeHealpixFits(b, dir / "m.fits"); }, ErrorKind::OutputExists, "--force");
  EXPECT_EQ(readHealpixFits(dir / "m.fits").field(0)[0], a.field(0)[0]);
  FitsWriteOptions force;
  force.overwrite = Overwrite::Allow;
  writeHealpixFits(b, dir / "m.fits", force);
  EXPECT_EQ(readHealpixFits(dir / "m.fits").field(0)[0], b.field(0)[0]);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "temporary files left";
}

TEST(HealpixFitsErrors, MissingFile) {
  expectSkyError([] { readHealpixFits("/nonexistent/map.fits"); }, ErrorKind::FileNotFound, "no such file");
}

TEST(HealpixFitsErrors, NotAFitsFile) {
  ScratchDir dir;
  std::ofstream(dir / "text.fits") << "this is not a FITS file\n";
  expectSkyError([&] { readHealpixFits(dir / "text.fits"); }, ErrorKind::InvalidFormat, "not a FITS file");
}

TEST(HealpixFitsErrors, PrimaryImageOnlyIsNotAHealpixMap) {
  ScratchDir dir;
  fitsfile* f = nullptr;
  int status = 0;
  long axes[2] = {10, 10};
  fits_create_diskfile(&f, (dir / "image.fits").c_str(), &status);
  fits_create_img(f, FLOAT_IMG, 2, axes, &status);
  fits_close_file(f, &status);
  ASSERT_EQ(status, 0);
  expectSkyError([&] { readHealpixFits(dir / "image.fits"); }, ErrorKind::InvalidFormat, "no extension HDU");
}

TEST(HealpixFitsErrors, WrongPixtype) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  editKeyword(file, "PIXTYPE", "CAR");
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidFormat, "PIXTYPE is 'CAR'");
}

TEST(HealpixFitsErrors, UnknownOrdering) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  editKeyword(file, "ORDERING", "SPIRAL");
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidFormat, "unknown ORDERING 'SPIRAL'");
}

TEST(HealpixFitsErrors, MissingOrderingAssumesRingWithWarning) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  editKeyword(file, "ORDERING", "");
  FitsReadReport report;
  EXPECT_EQ(readHealpixFits(file, &report).ordering(), Ordering::Ring);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("assuming RING"), std::string::npos);
}

TEST(HealpixFitsErrors, NsideDisagreesWithRowCount) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  editIntKeyword(file, "NSIDE", 32);
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidData, "NSIDE = 32 needs 12288 pixels");
}

TEST(HealpixFitsErrors, NsideNotAPowerOfTwo) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  editIntKeyword(file, "NSIDE", 12);
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidFormat, "not a power of two");
}

TEST(HealpixFitsErrors, PartialSkyWithoutPixelNumbersIsRefusedClearly) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  editKeyword(file, "INDXSCHM", "EXPLICIT");
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidFormat, "integer pixel numbers (PIXEL)");
}

TEST(HealpixFitsErrors, TruncatedData) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  std::filesystem::resize_file(file, std::filesystem::file_size(file) - 20000);
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidData, "truncated");
}

TEST(HealpixFitsErrors, UnwritableDirectory) {
  expectSkyError([] { writeHealpixFits(SkyMap::filled(1, 1, 0.0), "/nonexistent-dir/m.fits"); },
                 ErrorKind::OutputUnwritable, "does not exist");
}

TEST(HealpixFitsErrors, UnquotedTableStringIsRefusedBeforeCfitsioSeesIt) {
  // Found by tests/fuzz/fuzz_fits: cfitsio 4.2 aborts the process on this header.
  expectSkyError([] { readHealpixFits(dataPath("sky/malformed_unquoted_ttype.fits")); }, ErrorKind::InvalidFormat,
                 "TTYPE3 must hold a quoted string");
}

TEST(HealpixFitsErrors, MangledKeywordsGiveAnErrorNotACrash) {
  // Found by tests/fuzz/fuzz_fits: no END card and mangled NSIDE; cfitsio's integer converter
  // used to abort the process while building its error message.
  try {
    readHealpixFits(dataPath("sky/malformed_keywords_no_end.fits"));
    ADD_FAILURE() << "expected an error";
  } catch (const SkyError& e) {
    EXPECT_TRUE(e.kind() == ErrorKind::InvalidFormat || e.kind() == ErrorKind::InvalidData) << e.what();
  }
}

TEST(HealpixFitsErrors, NonIntegerStructuralKeyword) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "tqu_n16.fits");
  editKeyword(file, "FIRSTPIX", "zero");
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidFormat, "FIRSTPIX must hold an integer");
}

TEST(HealpixFitsErrors, BinaryBytesInAHeaderCard) {
  // Found by tests/fuzz/fuzz_fits: 'TTYPE3  =' followed by 0xFF bytes made cfitsio overflow.
  expectSkyError([] { readHealpixFits(dataPath("sky/malformed_binary_in_header.fits")); }, ErrorKind::InvalidFormat,
                 "non-ASCII or control byte");
}

// Real-file layouts against what Debian's healpy reads from the same files
// (tools/fixtures/make_real_file_fixtures.py).
TEST(HealpixFitsRealFiles, PartialSkyReadsAsHealpyReadsIt) {
  FitsReadReport report;
  const SkyMap map = readHealpixFits(dataPath("sky/partial_t_n16.fits"), &report);
  const NpyArray healpy = readNpy(dataPath("sky/partial_t_n16_read.npy"));
  ASSERT_EQ(map.nside(), 16);
  ASSERT_EQ(map.fieldCount(), 1);
  EXPECT_EQ(map.ordering(), Ordering::Ring);
  EXPECT_EQ(map.fieldName(0), "T");
  EXPECT_EQ(map.unit(), "uK");
  ASSERT_EQ(map.field(0).size(), healpy.values.size());
  size_t unseen = 0;
  for (size_t p = 0; p < healpy.values.size(); ++p) {
    EXPECT_EQ(map.field(0)[p], healpy.values[p]) << "pixel " << p;
    unseen += isMasked(map.field(0)[p]) ? 1 : 0;
  }
  EXPECT_EQ(report.partialSkyPixels, static_cast<long long>(healpy.values.size() - unseen));
  EXPECT_GT(unseen, healpy.values.size() / 2);  // a 40-degree cap is listed, the rest is not
}

TEST(HealpixFitsRealFiles, PartialSkyPixelNumbersOutOfRangeAreRefused) {
  ScratchDir dir;
  const auto file = copyFixture(dir, "partial_t_n16.fits");
  editIntKeyword(file, "NSIDE", 4);  // 364 pixels listed, 192 exist
  expectSkyError([&] { readHealpixFits(file); }, ErrorKind::InvalidData, "lists 364 pixels, more than NSIDE allows");
}

TEST(HealpixFitsRealFiles, PlanckLayoutReadsAsHealpyReadsIt) {
  FitsReadReport report;
  const SkyMap map = readHealpixFits(dataPath("sky/planck_tqu_n16_nest.fits"), &report);
  const NpyArray healpy = readNpy(dataPath("sky/planck_tqu_n16_nest_read.npy"));
  const JsonValue header = JsonValue::parseFile(dataPath("sky/planck_units.json"));
  ASSERT_EQ(map.fieldCount(), 4);
  EXPECT_EQ(map.ordering(), Ordering::Nested);
  EXPECT_TRUE(report.storedAsFloat32);
  EXPECT_EQ(map.unit(), header["units"]["TUNIT1"].string("unit"));
  const char* names[] = {"TTYPE1", "TTYPE2", "TTYPE3", "TTYPE4"};
  for (int f = 0; f < 4; ++f) EXPECT_EQ(map.fieldName(f), header["names"][names[f]].string("name"));
  // The Stokes names are the T, Q, U a model card asks for.
  EXPECT_EQ(map.fieldIndex("T"), 0);
  EXPECT_EQ(map.fieldIndex("Q"), 1);
  EXPECT_EQ(map.fieldIndex("U"), 2);
  ASSERT_EQ(healpy.shape, (std::vector<size_t>{4, static_cast<size_t>(map.npix())}));
  for (int f = 0; f < 4; ++f) {
    const auto values = map.field(f);
    EXPECT_TRUE(std::equal(values.begin(), values.end(), healpy.values.begin() + static_cast<long>(f) * map.npix()))
        << f;
  }
}

TEST(HealpixFitsRealFiles, FieldRolesNameTheStokesFieldsAndMasks) {
  const SkyMap planck = readHealpixFits(dataPath("sky/planck_tqu_n16_nest.fits"));
  EXPECT_EQ(planck.fieldRole(0), "T");
  EXPECT_EQ(planck.fieldRole(1), "Q");
  EXPECT_EQ(planck.fieldRole(2), "U");
  EXPECT_EQ(planck.fieldRole(3), "mask");
  const SkyMap healpyLayout = readHealpixFits(dataPath("sky/tqu_n16.fits"));
  EXPECT_EQ(healpyLayout.fieldRole(0), "T");
  EXPECT_EQ(healpyLayout.fieldRole(2), "U");
}

// Reading straight into another ordering (chunk by chunk, several chunks at nside 1024) gives
// the map that reading and then reordering gives, for full- and partial-sky files.
TEST(HealpixFits, ReadingIntoAnotherOrderingEqualsReorderingAfterwards) {
  ScratchDir dir;
  const int nside = 1024;
  const auto values = skytest::randomValues(static_cast<size_t>(npixForNside(nside)), 3);
  std::vector<double> rounded(values.begin(), values.end());
  for (double& v : rounded) v = static_cast<float>(v);
  rounded[12345] = kUnseen;
  FitsWriteOptions options;
  options.precision = FitsPrecision::Float32;
  writeHealpixFits(SkyMap(nside, Ordering::Nested, {rounded, rounded}), dir / "big.fits", options);
  const std::vector<std::filesystem::path> files = {dir / "big.fits", dataPath("sky/planck_tqu_n16_nest.fits"),
                                                    dataPath("sky/partial_t_n16.fits")};
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const SkyMap stored = readHealpixFits(file);
    for (const Ordering to : {Ordering::Ring, Ordering::Nested}) {
      Progress progress;
      const SkyMap direct = readHealpixFits(file, nullptr, &progress, to);
      const SkyMap after = stored.toOrdering(to);
      ASSERT_EQ(direct.ordering(), to);
      ASSERT_EQ(direct.fieldCount(), after.fieldCount());
      for (int f = 0; f < direct.fieldCount(); ++f) {
        EXPECT_TRUE(std::equal(direct.field(f).begin(), direct.field(f).end(), after.field(f).begin(),
                               [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }))
            << "field " << f;
      }
    }
  }
}
