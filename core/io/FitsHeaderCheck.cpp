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
  long long bitpix = 8, naxis = 0, pcount = 0, gcount = 1, product = 1;
  in.seekg(static_cast<std::streamoff>(offset));
  char card[kCard];
  for (size_t n = 0; n < kMaxHeaderBlocks * (kBlock / kCard); ++n) {
    if (!in.read(card, kCard)) return std::string::npos;  // ends inside a header: cfitsio reports it
    const std::string keyword(card, 8);
    if (keyword == "END     ") {
      if (naxis > 0 || isExtension) dataBytes = std::llabs(bitpix) / 8 * gcount * (pcount + (naxis > 0 ? product : 0));
      else dataBytes = 0;
      const size_t end = offset + (n + 1) * kCard;
      return (end + kBlock - 1) / kBlock * kBlock;
    }
    if (card[8] != '=' || card[9] != ' ') continue;  // commentary card
    const std::string value(card + 10, kCard - 10);
    const size_t first = value.find_first_not_of(' ');
    if (std::regex_match(keyword, stringKeyword) && (first == std::string::npos || value[first] != '\'')) {
      bad(name, "keyword " + keyword.substr(0, keyword.find(' ')) + " must hold a quoted string");
    }
    const long long number = std::atoll(value.c_str());
    if (keyword == "BITPIX  ") bitpix = number;
    else if (keyword == "NAXIS   ") naxis = number;
    else if (keyword == "PCOUNT  ") pcount = number;
    else if (keyword == "GCOUNT  ") gcount = number;
    else if (keyword.rfind("NAXIS", 0) == 0 && keyword[5] >= '1' && keyword[5] <= '9') product *= number;
  }
  bad(name, "no END card within " + std::to_string(kMaxHeaderBlocks) + " header blocks");
}

}  // namespace

void checkFitsHeaderCards(const std::filesystem::path& path, const std::string& displayName) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;  // cfitsio will report why it cannot open the file
  long long dataBytes = 0;
  const size_t extension = scanHeader(in, 0, displayName, false, dataBytes);
  if (extension == std::string::npos || dataBytes < 0) return;
  const size_t next = extension + (static_cast<size_t>(dataBytes) + kBlock - 1) / kBlock * kBlock;
  in.clear();
  scanHeader(in, next, displayName, true, dataBytes);
}

}  // namespace sky
