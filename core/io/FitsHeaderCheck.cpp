#include "io/FitsHeaderCheck.h"

#include <cstdlib>
#include <fstream>
#include <regex>

#include "util/Error.h"

namespace sky {
namespace {

constexpr size_t kCard = 80, kBlock = 2880, kMaxHeaderBlocks = 1000;

[[noreturn]] void bad(const std::string& name, const std::string& what) {
  throw SkyError(ErrorKind::InvalidFormat, name + ": malformed FITS header: " + what);
}

// Reads cards from `offset` up to END; returns the offset just past the header.
size_t scanHeader(std::ifstream& in, size_t offset, const std::string& name, bool isExtension, long long& dataBytes) {
  // Table keywords whose values cfitsio copies as strings into fixed-size buffers.
  static const std::regex stringKeyword("^T(TYPE|FORM|UNIT|DISP|DIM)[0-9]+ *$");
  // Keywords cfitsio converts to integers (its converter also overflows on some malformed values).
  static const std::regex integerKeyword("^(BITPIX|NAXIS[0-9]*|PCOUNT|GCOUNT|TFIELDS|THEAP|NSIDE|FIRSTPIX|LASTPIX) *$");
  static const std::regex integerValue("^ *[+-]?[0-9]{1,18} *(/.*)?$");
  long long bitpix = 8, naxis = 0, pcount = 0, gcount = 1, product = 1;
  in.seekg(static_cast<std::streamoff>(offset));
  char card[kCard];
  for (size_t n = 0; n < kMaxHeaderBlocks * (kBlock / kCard); ++n) {
    if (!in.read(card, kCard)) return std::string::npos;  // ends inside a header: cfitsio reports it
    for (size_t i = 0; i < kCard; ++i) {
      if (card[i] < 0x20 || card[i] > 0x7e) {  // the FITS standard allows only printable ASCII
        bad(name, "header card " + std::to_string(n + 1) + " holds a non-ASCII or control byte");
      }
    }
    const std::string keyword(card, 8);
    if (keyword == "END     ") {
      dataBytes = 0;
      const long long payload = pcount + (naxis > 0 ? product : 0);
      if ((naxis > 0 || isExtension) && (__builtin_mul_overflow(std::llabs(bitpix) / 8, gcount, &dataBytes) ||
                                         __builtin_mul_overflow(dataBytes, payload, &dataBytes) || dataBytes < 0)) {
        bad(name, "the header declares an impossible data size");
      }
      const size_t end = offset + (n + 1) * kCard;
      return (end + kBlock - 1) / kBlock * kBlock;
    }
    if (card[8] != '=') continue;  // commentary card (COMMENT, HISTORY, blank)
    const std::string value(card + 10, kCard - 10);
    const size_t first = value.find_first_not_of(' ');
    if (std::regex_match(keyword, stringKeyword) && (first == std::string::npos || value[first] != '\'')) {
      bad(name, "keyword " + keyword.substr(0, keyword.find(' ')) + " must hold a quoted string");
    }
    const bool isInteger = std::regex_match(keyword, integerKeyword);
    if (isInteger && !std::regex_match(value, integerValue)) {
      bad(name, "keyword " + keyword.substr(0, keyword.find(' ')) + " must hold an integer");
    }
    if (!isInteger) continue;
    const long long number = std::atoll(value.c_str());
    if (number < 0 && keyword != "BITPIX  ")
      bad(name, "keyword " + keyword.substr(0, keyword.find(' ')) + " is negative");
    if (keyword == "BITPIX  " && number != 8 && number != 16 && number != 32 && number != 64 && number != -32 &&
        number != -64) {
      bad(name, "BITPIX must be 8, 16, 32, 64, -32 or -64");
    }
    if (keyword == "BITPIX  ")
      bitpix = number;
    else if (keyword == "PCOUNT  " && number > (1LL << 50))
      bad(name, "PCOUNT is absurdly large");
    else if (keyword == "NAXIS   ")
      naxis = number;
    else if (keyword == "PCOUNT  ")
      pcount = number;
    else if (keyword == "GCOUNT  ")
      gcount = number;
    else if (keyword.rfind("NAXIS", 0) == 0 && keyword[5] >= '1' && keyword[5] <= '9' &&
             __builtin_mul_overflow(product, number, &product)) {
      bad(name, "the header declares an impossible data size");
    }
  }
  bad(name, "no END card within " + std::to_string(kMaxHeaderBlocks) + " header blocks");
}

}  // namespace

void checkFitsHeaderCards(const std::filesystem::path& path, const std::string& displayName) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;  // cfitsio will report why it cannot open the file
  char simple[9] = {};
  if (!in.read(simple, 9) || std::string(simple, 9) != "SIMPLE  =") {
    throw SkyError(ErrorKind::InvalidFormat, displayName + ": is not a FITS file (it does not start with 'SIMPLE  =')");
  }
  in.seekg(0);
  long long dataBytes = 0;
  const size_t extension = scanHeader(in, 0, displayName, false, dataBytes);
  if (extension == std::string::npos || dataBytes < 0) return;
  const size_t next = extension + (static_cast<size_t>(dataBytes) + kBlock - 1) / kBlock * kBlock;
  in.clear();
  scanHeader(in, next, displayName, true, dataBytes);
}

}  // namespace sky
