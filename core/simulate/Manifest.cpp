#include "simulate/Manifest.h"

#include <charconv>
#include <fstream>
#include <sstream>

#include "util/Error.h"

namespace sky {

void writeManifest(const std::filesystem::path& path, const std::vector<ManifestEntry>& entries, Overwrite overwrite) {
  std::vector<std::string> names;
  if (!entries.empty())
    for (const auto& [name, value] : entries.front().parameters) names.push_back(name);
  writeAtomically(path, overwrite, [&](const std::filesystem::path& temp) {
    std::ofstream f(temp);
    f << "file,label,seed";
    for (const auto& n : names) f << "," << n;
    f << "\n";
    char buf[32];
    for (const auto& e : entries) {
      if (e.file.find_first_of(",\n\"") != std::string::npos) {
        throw SkyError(ErrorKind::InvalidArgument, "manifest file names cannot contain commas, quotes or newlines");
      }
      f << e.file << "," << e.label << "," << e.seed;
      for (const auto& n : names) {
        const auto r = std::to_chars(buf, buf + sizeof buf, e.parameters.at(n));
        f << "," << std::string(buf, r.ptr);
      }
      f << "\n";
    }
    f.close();
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "writing " + path.string() + " failed");
  });
}

std::vector<ManifestEntry> readManifest(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw SkyError(ErrorKind::FileNotFound, "no manifest at " + path.string());
  requireReadableFile(path, "manifest");
  std::ifstream f(path);
  std::string line;
  if (!std::getline(f, line)) throw SkyError(ErrorKind::InvalidFormat, path.string() + ": empty manifest");
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
  if (header.size() < 3 || header[0] != "file" || header[1] != "label" || header[2] != "seed") {
    throw SkyError(ErrorKind::InvalidFormat, path.string() + ": the header must start with file,label,seed");
  }
  std::vector<ManifestEntry> entries;
  for (int lineNo = 2; std::getline(f, line); ++lineNo) {
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ls(line);
    for (std::string cell; std::getline(ls, cell, ',');) cells.push_back(cell);
    const std::string where = path.string() + ":" + std::to_string(lineNo) + ": ";
    if (cells.size() != header.size()) throw SkyError(ErrorKind::InvalidFormat, where + "wrong number of columns");
    ManifestEntry e;
    e.file = cells[0];
    if (cells[1] != "0" && cells[1] != "1") throw SkyError(ErrorKind::InvalidFormat, where + "label must be 0 or 1");
    e.label = cells[1] == "1" ? 1 : 0;
    unsigned long long seed = 0;
    const auto parsed = std::from_chars(cells[2].data(), cells[2].data() + cells[2].size(), seed);
    if (parsed.ec != std::errc() || parsed.ptr != cells[2].data() + cells[2].size()) {
      throw SkyError(ErrorKind::InvalidFormat, where + "seed '" + cells[2] + "' is not a non-negative integer");
    }
    e.seed = seed;
    for (size_t c = 3; c < cells.size(); ++c) {
      char* end = nullptr;
      const double v = std::strtod(cells[c].c_str(), &end);
      if (end == cells[c].c_str())
        throw SkyError(ErrorKind::InvalidFormat, where + "'" + cells[c] + "' is not a number");
      e.parameters[header[c]] = v;
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace sky
