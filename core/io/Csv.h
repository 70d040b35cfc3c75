#pragma once
// Column tables as CSV (header line, then one row per index, values at full double precision).
#include <filesystem>
#include <string>
#include <vector>

#include "io/AtomicFile.h"

namespace sky {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<double>> columns;  // all of equal length
};

void writeCsv(const std::filesystem::path& path, const CsvTable& table, Overwrite overwrite = Overwrite::Refuse);
CsvTable readCsv(const std::filesystem::path& path);

}  // namespace sky
