#include "io/HealpixFits.h"

#include <fitsio.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>

#include "io/FitsHeaderCheck.h"
#include "util/Error.h"

namespace sky {
namespace {

std::string cfitsioMessage(int status) {
  char text[FLEN_STATUS] = {};
  fits_get_errstatus(status, text);
  return text;
}

struct FitsCloser {
  void operator()(fitsfile* f) const {
    int status = 0;
    fits_close_file(f, &status);
  }
};
using FitsHandle = std::unique_ptr<fitsfile, FitsCloser>;

std::string upperTrimmed(std::string s) {
  s.erase(s.find_last_not_of(' ') + 1);
  s.erase(0, s.find_first_not_of(' '));
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// A string keyword of the current HDU, or "" when absent.
std::string readStringKey(fitsfile* f, const char* key) {
  char value[FLEN_VALUE] = {};
  int status = 0;
  fits_read_key(f, TSTRING, key, value, nullptr, &status);
  return status == 0 ? std::string(value) : std::string();
}

// Parses the raw value text ourselves: cfitsio's converter aborts on some malformed values.
bool readIntKey(fitsfile* f, const char* key, long long& value) {
  char text[FLEN_VALUE] = {};
  int status = 0;
  fits_read_keyword(f, key, text, nullptr, &status);
  if (status != 0) return false;
  char* end = nullptr;
  errno = 0;
  const long long parsed = std::strtoll(text, &end, 10);
  while (end && *end == ' ') ++end;
  if (end == text || (end && *end != '\0') || errno == ERANGE) return false;
  value = parsed;
  return true;
}

class FitsReader {
 public:
  FitsReader(const std::filesystem::path& path, FitsReadReport& report, Progress* progress,
             std::optional<Ordering> wanted)
      : path_(path), name_(path.string()), report_(report), progress_(progress), wanted_(wanted) {}

  SkyMap read() {
    open();
    moveToMapTable();
    const Ordering ordering = readOrdering();
    readIndexingScheme();
    readColumns();
    if (explicitIndex_) return readPartialSky(ordering);
    const int nside = resolveNside();
    checkDataPresent();
    valuesToRead_ = rows_ * repeat_ * columns_;
    const Ordering target = wanted_.value_or(ordering);
    // Every field's memory first, two at a time: the first touch of fresh pages (zeroing) is a
    // large part of reading a big map here, and it parallelises.
    std::vector<std::vector<double>> fields(static_cast<size_t>(columns_));
#pragma omp parallel for schedule(dynamic) if (valuesToRead_ > (1 << 24))
    for (int c = 0; c < columns_; ++c) fields[static_cast<size_t>(c)].resize(static_cast<size_t>(rows_ * repeat_));
    for (int c = 1; c <= columns_; ++c) {
      auto& field = fields[static_cast<size_t>(c - 1)];
      if (target == ordering)
        readColumn(c, field);
      else
        readColumnReordered(c, nside, ordering, target, field);
    }
    return SkyMap(nside, target, std::move(fields), names_, unit_);
  }

 private:
  [[noreturn]] void fail(ErrorKind kind, const std::string& what) const { throw SkyError(kind, name_ + ": " + what); }

  void open() {
    requireReadableFile(path_, "file");
    checkFitsHeaderCards(path_, name_);
    fitsfile* raw = nullptr;
    int status = 0;
    // The diskfile variant takes the name literally (no cfitsio extended-filename syntax).
    fits_open_diskfile(&raw, name_.c_str(), READONLY, &status);
    if (status == FILE_NOT_OPENED) fail(ErrorKind::FileNotFound, "cannot be opened (permissions?)");
    if (status != 0) {
      if (raw) FitsCloser{}(raw);
      fail(ErrorKind::InvalidFormat, "is not a FITS file (" + cfitsioMessage(status) + ")");
    }
    file_.reset(raw);
  }

  void moveToMapTable() {
    int status = 0, hduCount = 0;
    fits_get_num_hdus(file_.get(), &hduCount, &status);
    if (status != 0 || hduCount < 2) {
      fail(ErrorKind::InvalidFormat,
           "has no extension HDU: not a HEALPix map (healpy stores maps in a binary table in HDU 1)");
    }
    int type = 0;
    fits_movabs_hdu(file_.get(), 2, &type, &status);
    if (status != 0) fail(ErrorKind::InvalidData, "cannot read HDU 1 (" + cfitsioMessage(status) + "); truncated?");
    if (type != BINARY_TBL) fail(ErrorKind::InvalidFormat, "HDU 1 is not a binary table: not a HEALPix map");
    const std::string pixtype = upperTrimmed(readStringKey(file_.get(), "PIXTYPE"));
    long long nside = 0;
    if (!pixtype.empty() && pixtype != "HEALPIX") {
      fail(ErrorKind::InvalidFormat, "PIXTYPE is '" + pixtype + "', not HEALPIX");
    }
    if (pixtype.empty() && !readIntKey(file_.get(), "NSIDE", nside)) {
      fail(ErrorKind::InvalidFormat, "HDU 1 has neither PIXTYPE=HEALPIX nor NSIDE: not a HEALPix map");
    }
  }

  Ordering readOrdering() {
    const std::string ordering = upperTrimmed(readStringKey(file_.get(), "ORDERING"));
    if (ordering.empty()) {
      report_.warnings.push_back("no ORDERING keyword: assuming RING (as healpy does)");
      return Ordering::Ring;
    }
    if (ordering == "RING") return Ordering::Ring;
    if (ordering == "NESTED" || ordering == "NEST") return Ordering::Nested;
    fail(ErrorKind::InvalidFormat, "unknown ORDERING '" + ordering + "' (expected RING or NESTED)");
  }

  // Partial-sky files (healpy.write_map(partial=True), many distributed masks) index their
  // pixels explicitly: column 1 holds pixel numbers, the others their values.
  void readIndexingScheme() {
    const std::string scheme = upperTrimmed(readStringKey(file_.get(), "INDXSCHM"));
    const std::string object = upperTrimmed(readStringKey(file_.get(), "OBJECT"));
    explicitIndex_ = scheme == "EXPLICIT" || object == "PARTIAL";
    report_.coordinateSystem = upperTrimmed(readStringKey(file_.get(), "COORDSYS"));
  }

  // As healpy.read_map reads them: every pixel not listed is UNSEEN.
  SkyMap readPartialSky(Ordering ordering) {
    if (columns_ < 2 || !firstColumnIsInteger_) {
      fail(ErrorKind::InvalidFormat,
           "is a partial-sky map (INDXSCHM=EXPLICIT) but its first column does not hold integer pixel "
           "numbers (PIXEL) followed by value columns");
    }
    long long nside = 0;
    if (!readIntKey(file_.get(), "NSIDE", nside)) fail(ErrorKind::InvalidFormat, "a partial-sky map must give NSIDE");
    if (!isValidNside(nside) || nside > 8192) {
      fail(ErrorKind::InvalidFormat, "NSIDE = " + std::to_string(nside) + " is not a power of two in [1, 8192]");
    }
    checkDataPresent();
    const long long npix = npixForNside(nside);
    const LONGLONG n = rows_ * repeat_;
    if (n > npix) fail(ErrorKind::InvalidData, "lists " + std::to_string(n) + " pixels, more than NSIDE allows");
    std::vector<long long> pixels(static_cast<size_t>(n));
    int status = 0, anyNull = 0;
    long long nullPixel = 0;
    fits_read_col(file_.get(), TLONGLONG, 1, 1, 1, n, &nullPixel, pixels.data(), &anyNull, &status);
    if (status != 0) fail(ErrorKind::InvalidData, "cannot read the PIXEL column (" + cfitsioMessage(status) + ")");
    for (size_t i = 0; i < pixels.size(); ++i) {
      if (pixels[i] < 0 || pixels[i] >= npix) {
        fail(ErrorKind::InvalidData, "row " + std::to_string(i + 1) + " lists pixel " + std::to_string(pixels[i]) +
                                         ", outside 0.." + std::to_string(npix - 1) + " for NSIDE " +
                                         std::to_string(nside));
      }
    }
    const Ordering target = wanted_.value_or(ordering);
    if (target != ordering) {
      for (long long& pixel : pixels) pixel = pixelInOrdering(static_cast<int>(nside), pixel, ordering, target);
    }
    std::vector<std::vector<double>> fields;
    valuesToRead_ = n * (columns_ - 1);
    for (int c = 2; c <= columns_; ++c) {
      const std::vector<double> listed = readColumn(c);
      std::vector<double>& full = fields.emplace_back(static_cast<size_t>(npix), kUnseen);
      for (size_t i = 0; i < pixels.size(); ++i) full[static_cast<size_t>(pixels[i])] = listed[i];
    }
    report_.partialSkyPixels = n;
    report_.warnings.push_back("partial-sky file: " + std::to_string(n) + " of " + std::to_string(npix) +
                               " pixels listed; the others are UNSEEN");
    return SkyMap(static_cast<int>(nside), target, std::move(fields), names_, unit_);
  }

  void readColumns() {
    int status = 0;
    fits_get_num_cols(file_.get(), &columns_, &status);
    fits_get_num_rowsll(file_.get(), &rows_, &status);
    if (status != 0 || columns_ < 1) fail(ErrorKind::InvalidFormat, "the map table has no columns");
    for (int c = 1; c <= columns_; ++c) {
      int type = 0;
      long repeat = 0, width = 0;
      fits_get_coltype(file_.get(), c, &type, &repeat, &width, &status);
      if (status != 0) fail(ErrorKind::InvalidFormat, "cannot read the type of column " + std::to_string(c));
      if (type == TSTRING || type == TLOGICAL || type == TBIT || type == TCOMPLEX || type == TDBLCOMPLEX || type < 0) {
        fail(ErrorKind::InvalidFormat, "column " + std::to_string(c) + " is not numeric");
      }
      if (c == 1) repeat_ = repeat;
      if (repeat != repeat_ || repeat < 1) fail(ErrorKind::InvalidFormat, "columns differ in values per row");
      if (c == 1)
        firstColumnIsInteger_ = type == TBYTE || type == TSHORT || type == TINT || type == TLONG || type == TLONGLONG;
      const int firstValueColumn = explicitIndex_ ? 2 : 1;
      if (c < firstValueColumn) continue;  // the PIXEL column of a partial-sky file
      report_.storedAsFloat32 = report_.storedAsFloat32 || type == TFLOAT;
      char key[FLEN_KEYWORD];
      snprintf(key, sizeof key, "TTYPE%d", c);
      std::string name = upperTrimmed(readStringKey(file_.get(), key));
      names_.push_back(name.empty() ? "FIELD" + std::to_string(c) : name);
      snprintf(key, sizeof key, "TUNIT%d", c);
      if (c == firstValueColumn) unit_ = readStringKey(file_.get(), key);
    }
  }

  int resolveNside() {
    const long long values = rows_ * repeat_;
    long long nside = 0;
    if (!readIntKey(file_.get(), "NSIDE", nside)) {
      // healpy infers nside from the pixel count when the keyword is absent.
      nside = static_cast<long long>(std::llround(std::sqrt(values / 12.0)));
      report_.warnings.push_back("no NSIDE keyword: inferred " + std::to_string(nside) + " from the pixel count");
    }
    if (!isValidNside(nside)) {
      fail(ErrorKind::InvalidFormat, "NSIDE = " + std::to_string(nside) + " is not a power of two in [1, 2^29]");
    }
    if (npixForNside(nside) != values) {
      fail(ErrorKind::InvalidData, "NSIDE = " + std::to_string(nside) + " needs " +
                                       std::to_string(npixForNside(nside)) + " pixels but the table holds " +
                                       std::to_string(rows_) + " rows x " + std::to_string(repeat_) + " = " +
                                       std::to_string(values) + " values");
    }
    if (nside > 8192) fail(ErrorKind::InvalidData, "NSIDE " + std::to_string(nside) + " is beyond the supported 8192");
    long long firstpix = 0;
    if (readIntKey(file_.get(), "FIRSTPIX", firstpix) && firstpix != 0) {
      fail(ErrorKind::InvalidFormat, "FIRSTPIX = " + std::to_string(firstpix) + ": only full-sky maps are supported");
    }
    return static_cast<int>(nside);
  }

  // Refuse truncated files before allocating: the header says where the data must end.
  void checkDataPresent() {
    LONGLONG headStart = 0, dataStart = 0, dataEnd = 0;
    int status = 0;
    fits_get_hduaddrll(file_.get(), &headStart, &dataStart, &dataEnd, &status);
    std::error_code ec;
    const auto size = static_cast<LONGLONG>(std::filesystem::file_size(path_, ec));
    if (status != 0 || ec) fail(ErrorKind::InvalidData, "cannot locate the map data");
    long long rowBytes = 0;
    if (!readIntKey(file_.get(), "NAXIS1", rowBytes)) status = KEY_NO_EXIST;
    const LONGLONG needed = dataStart + rowBytes * rows_;
    if (status != 0 || size < needed) {
      fail(ErrorKind::InvalidData, "truncated: the header announces " + std::to_string(rows_) + " rows (" +
                                       std::to_string(needed) + " bytes) but the file has " + std::to_string(size) +
                                       " bytes");
    }
  }

  // In whole rows of about 4 M values: small enough to report and stop often (~20 ms each),
  // large enough that cfitsio's per-call cost does not show.
  LONGLONG chunkRows() const { return std::max<LONGLONG>(1, (LONGLONG{1} << 22) / repeat_); }

  // Values of `rows` rows from `row` (0-based) of `column` into out.
  void readRows(int column, LONGLONG row, LONGLONG rows, double* out) {
    const LONGLONG count = rows * repeat_;
    int status = 0, anyNull = 0;
    double nullValue = 0.0;  // 0: keep NaN as NaN, no substitution
    fits_read_col(file_.get(), TDOUBLE, column, row + 1, 1, count, &nullValue, out, &anyNull, &status);
    if (status != 0) {
      fail(ErrorKind::InvalidData,
           "cannot read column " + std::to_string(column) + " (" + cfitsioMessage(status) + ")");
    }
    valuesRead_ += count;
    if (progress_) progress_->report(valuesRead_, valuesToRead_, "reading");
  }

  std::vector<double> readColumn(int column) {
    std::vector<double> values(static_cast<size_t>(rows_ * repeat_));
    readColumn(column, values);
    return values;
  }

  void readColumn(int column, std::span<double> values) {
    for (LONGLONG row = 0; row < rows_; row += chunkRows()) {
      readRows(column, row, std::min(chunkRows(), rows_ - row), values.data() + row * repeat_);
    }
  }

  // The column in ordering `to`: while one chunk is put in place (placePixels, on another
  // thread), the next one reads. At nside 2048 this hides the reordering behind the reading.
  void readColumnReordered(int column, int nside, Ordering from, Ordering to, std::span<double> values) {
    std::vector<double> buffers[2];
    std::future<void> placing;  // declared after the buffers: an exception waits for it first
    int next = 0;
    for (LONGLONG row = 0; row < rows_; row += chunkRows()) {
      const LONGLONG rows = std::min(chunkRows(), rows_ - row);
      std::vector<double>& buffer = buffers[next];
      next = 1 - next;
      buffer.resize(static_cast<size_t>(rows * repeat_));
      readRows(column, row, rows, buffer.data());
      if (placing.valid()) placing.get();
      placing = std::async(std::launch::async, [&values, &buffer, nside, from, to, first = row * repeat_] {
        placePixels(nside, from, first, buffer, to, values);
      });
    }
    if (placing.valid()) placing.get();
  }

  std::filesystem::path path_;
  std::string name_;
  FitsReadReport& report_;
  Progress* progress_ = nullptr;
  std::optional<Ordering> wanted_;
  LONGLONG valuesRead_ = 0, valuesToRead_ = 0;
  FitsHandle file_;
  bool explicitIndex_ = false, firstColumnIsInteger_ = false;
  int columns_ = 0;
  LONGLONG rows_ = 0;
  long repeat_ = 0;
  std::vector<std::string> names_;
  std::string unit_;
};

void check(int status, const std::filesystem::path& path) {
  if (status != 0) {
    throw SkyError(ErrorKind::OutputUnwritable, "writing " + path.string() + " failed: " + cfitsioMessage(status));
  }
}

}  // namespace

SkyMap readHealpixFits(const std::filesystem::path& path, FitsReadReport* report, Progress* progress,
                       std::optional<Ordering> ordering) {
  FitsReadReport local;
  return FitsReader(path, report ? *report : local, progress, ordering).read();
}

void writeHealpixFits(const SkyMap& map, const std::filesystem::path& path, const FitsWriteOptions& options) {
  writeAtomically(path, options.overwrite, [&](const std::filesystem::path& temp) {
    fitsfile* raw = nullptr;
    int status = 0;
    fits_create_diskfile(&raw, temp.c_str(), &status);
    check(status, path);
    FitsHandle file(raw);
    fitsfile* f = file.get();
    // healpy stores 1024 values per row whenever the map divides evenly (nside >= 16).
    const int64_t npix = map.npix();
    const long repeat = npix % 1024 == 0 ? 1024 : 1;
    const LONGLONG rows = npix / repeat;
    const char code = options.precision == FitsPrecision::Float32 ? 'E' : 'D';
    std::vector<std::string> forms, names, units;
    for (int c = 0; c < map.fieldCount(); ++c) {
      forms.push_back(std::to_string(repeat) + code);
      names.push_back(map.fieldName(c));
      units.push_back(map.unit());
    }
    std::vector<char*> formPtrs, namePtrs, unitPtrs;
    for (int c = 0; c < map.fieldCount(); ++c) {
      formPtrs.push_back(forms[c].data());
      namePtrs.push_back(names[c].data());
      unitPtrs.push_back(units[c].data());
    }
    char extname[] = "xtension";
    fits_create_tbl(f, BINARY_TBL, rows, map.fieldCount(), namePtrs.data(), formPtrs.data(), unitPtrs.data(), extname,
                    &status);
    const LONGLONG nside = map.nside(), firstpix = 0, lastpix = npix - 1;
    fits_write_key(f, TSTRING, "PIXTYPE", const_cast<char*>("HEALPIX"), "HEALPIX pixelisation", &status);
    fits_write_key(f, TSTRING, "ORDERING", const_cast<char*>(orderingName(map.ordering())),
                   "Pixel ordering scheme, either RING or NESTED", &status);
    if (!options.coordinateSystem.empty()) {
      fits_write_key(f, TSTRING, "COORDSYS", const_cast<char*>(options.coordinateSystem.c_str()),
                     "Ecliptic, Galactic or Celestial (equatorial)", &status);
    }
    fits_write_key(f, TSTRING, "EXTNAME", extname, "name of this binary table extension", &status);
    fits_write_key(f, TLONGLONG, "NSIDE", const_cast<LONGLONG*>(&nside), "Resolution parameter of HEALPIX", &status);
    fits_write_key(f, TLONGLONG, "FIRSTPIX", const_cast<LONGLONG*>(&firstpix), "First pixel # (0 based)", &status);
    fits_write_key(f, TLONGLONG, "LASTPIX", const_cast<LONGLONG*>(&lastpix), "Last pixel # (0 based)", &status);
    fits_write_key(f, TSTRING, "INDXSCHM", const_cast<char*>("IMPLICIT"), "Indexing: IMPLICIT or EXPLICIT", &status);
    fits_write_key(f, TSTRING, "OBJECT", const_cast<char*>("FULLSKY"), "Sky coverage, either FULLSKY or PARTIAL",
                   &status);
    for (const auto& line : options.extraComments) fits_write_history(f, line.c_str(), &status);
    for (int c = 0; c < map.fieldCount(); ++c) {
      const auto values = map.field(c);
      fits_write_col(f, TDOUBLE, c + 1, 1, 1, npix, const_cast<double*>(values.data()), &status);
    }
    check(status, path);
    int closeStatus = 0;
    fits_close_file(file.release(), &closeStatus);  // flushes: a full disk shows up here
    check(closeStatus, path);
  });
}

}  // namespace sky
