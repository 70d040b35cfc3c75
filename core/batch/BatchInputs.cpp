#include "batch/BatchInputs.h"

#include <glob.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include "util/Error.h"

namespace sky {
namespace fs = std::filesystem;

bool isFitsPath(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.ends_with(".fits") || name.ends_with(".fit") || name.ends_with(".fits.gz") || name.ends_with(".FITS");
}

bool isNpyPath(const fs::path& path) { return path.filename().string().ends_with(".npy"); }

namespace {

std::vector<fs::path> globPaths(const std::string& pattern) {
  glob_t g{};
  const int rc = glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<fs::path> paths;
  if (rc == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) paths.emplace_back(g.gl_pathv[i]);
  }
  globfree(&g);
  if (rc == GLOB_NOMATCH || paths.empty()) throw SkyError(ErrorKind::FileNotFound, "no input matches " + pattern);
  if (rc != 0) throw SkyError(ErrorKind::FileNotFound, "cannot expand " + pattern);
  return paths;
}

std::vector<fs::path> directoryInputs(const fs::path& dir) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && (isFitsPath(entry.path()) || isNpyPath(entry.path()))) paths.push_back(entry.path());
  }
  if (paths.empty()) throw SkyError(ErrorKind::FileNotFound, dir.string() + " holds no .fits or .npy file");
  return paths;
}

std::vector<fs::path> listedInputs(const fs::path& list) {
  std::ifstream in(list);
  if (!in) throw SkyError(ErrorKind::FileNotFound, "cannot read the input list " + list.string());
  std::vector<fs::path> paths;
  std::string line;
  int lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
    fs::path p(line);
    if (p.is_relative()) p = list.parent_path() / p;
    if (!fs::is_regular_file(p)) {
      throw SkyError(ErrorKind::FileNotFound,
                     list.string() + " line " + std::to_string(lineNumber) + ": no such file " + p.string());
    }
    paths.push_back(p);
  }
  if (paths.empty()) throw SkyError(ErrorKind::FileNotFound, "the input list " + list.string() + " names no file");
  return paths;
}

std::string stripSuffix(const std::string& name) {
  for (const char* suffix : {".fits.gz", ".fits", ".FITS", ".fit", ".npy"}) {
    if (name.ends_with(suffix)) return name.substr(0, name.size() - std::char_traits<char>::length(suffix));
  }
  return name;
}

// The deepest directory containing every path.
fs::path commonDirectory(const std::vector<fs::path>& paths) {
  fs::path common = paths.front().parent_path();
  for (const auto& p : paths) {
    while (!common.empty()) {
      const auto rel = p.parent_path().lexically_relative(common);
      if (!rel.empty() && *rel.begin() != "..") break;
      common = common.parent_path();
    }
  }
  return common;
}

}  // namespace

std::vector<BatchInput> resolveBatchInputs(const std::string& spec) {
  if (spec.empty()) throw SkyError(ErrorKind::Usage, "--inputs is empty");
  std::vector<fs::path> paths;
  if (spec.find_first_of("*?[") != std::string::npos) {
    paths = globPaths(spec);
  } else if (fs::is_directory(spec)) {
    paths = directoryInputs(spec);
  } else if (!fs::exists(spec)) {
    throw SkyError(ErrorKind::FileNotFound, "no such input, directory or list: " + spec);
  } else if (isFitsPath(spec) || isNpyPath(spec)) {
    paths = {fs::path(spec)};
  } else {
    paths = listedInputs(spec);
  }
  for (auto& p : paths) {
    if (!isFitsPath(p) && !isNpyPath(p)) {
      throw SkyError(ErrorKind::InvalidArgument, p.string() + " is neither a FITS map (.fits) nor an image (.npy)");
    }
    p = fs::absolute(p).lexically_normal();
  }
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());

  const fs::path common = commonDirectory(paths);
  std::vector<BatchInput> inputs;
  std::map<std::string, fs::path> byKey;
  for (const auto& p : paths) {
    std::string key;
    for (const auto& part : p.lexically_relative(common)) key += (key.empty() ? "" : "__") + part.string();
    key = stripSuffix(key);
    if (const auto [it, inserted] = byKey.emplace(key, p); !inserted) {
      // a.fits and a.npy in one directory
      throw SkyError(ErrorKind::InvalidArgument, it->second.string() + " and " + p.string() +
                                                     " would write the same outputs (" + key +
                                                     "); list only one of them");
    }
    inputs.push_back({p, key});
  }
  return inputs;
}

Shard Shard::parse(const std::string& text) {
  Shard s;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d/%d%c", &s.index, &s.count, &extra) != 2 || s.count < 1 || s.index < 0 ||
      s.index >= s.count) {
    throw SkyError(ErrorKind::Usage,
                   "--shard expects i/N with 0 <= i < N (e.g. $SLURM_ARRAY_TASK_ID/16), not '" + text + "'");
  }
  return s;
}

}  // namespace sky
