#include "io/Csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/Error.h"

namespace sky {

namespace {
// Shortest text that reads back to the same double; integers print without a decimal point.
std::string formatValue(double v) {
  if (std::isnan(v)) return "nan";
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}
}  // namespace

void writeCsv(const std::filesystem::path& path, const CsvTable& table, Overwrite overwrite) {
  if (table.header.size() != table.columns.size()) {
    throw SkyError(ErrorKind::Internal, "CSV header and columns differ in count");
  }
  const size_t rows = table.columns.empty() ? 0 : table.columns[0].size();
  for (const auto& c : table.columns) {
    if (c.size() != rows) throw SkyError(ErrorKind::Internal, "CSV columns differ in length");
  }
  writeAtomically(path, overwrite, [&](const std::filesystem::path& temp) {
    std::ofstream f(temp);
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "cannot create " + temp.string());
    for (size_t c = 0; c < table.header.size(); ++c) f << (c ? "," : "") << table.header[c];
    f << '\n';
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < table.columns.size(); ++c) f << (c ? "," : "") << formatValue(table.columns[c][r]);
      f << '\n';
    }
    f.close();
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "writing " + path.string() + " failed (disk full?)");
  });
}

CsvTable readCsv(const std::filesystem::path& path) {
  requireReadableFile(path, "CSV file");
  std::ifstream f(path);
  if (!f) throw SkyError(ErrorKind::FileNotFound, "cannot open " + path.string() + ": " + std::strerror(errno));
  CsvTable table;
  std::string line;
  if (!std::getline(f, line)) throw SkyError(ErrorKind::InvalidFormat, path.string() + ": empty CSV file");
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) table.header.push_back(cell);
  table.columns.resize(table.header.size());
  for (int lineNo = 2; std::getline(f, line); ++lineNo) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ls(line);
    size_t c = 0;
    for (std::string cell; std::getline(ls, cell, ','); ++c) {
      if (c >= table.columns.size()) {
        throw SkyError(ErrorKind::InvalidFormat, path.string() + ":" + std::to_string(lineNo) + ": too many columns");
      }
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (end == cell.c_str()) {
        throw SkyError(ErrorKind::InvalidFormat,
                       path.string() + ":" + std::to_string(lineNo) + ": '" + cell + "' is not a number");
      }
      table.columns[c].push_back(v);
    }
    if (c != table.columns.size()) {
      throw SkyError(ErrorKind::InvalidFormat, path.string() + ":" + std::to_string(lineNo) + ": expected " +
                                                   std::to_string(table.columns.size()) + " columns");
    }
  }
  return table;
}

}  // namespace sky
