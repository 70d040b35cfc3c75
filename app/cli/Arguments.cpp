#include "Arguments.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <thread>

#include "util/Error.h"

namespace cli {
using sky::ErrorKind;
using sky::SkyError;

Arguments::Arguments(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                     const std::set<std::string>& flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    std::string arg = argv[i];
    if (arg == "-o") arg = "--output";
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2), value;
    const auto eq = name.find('=');
    const bool inlineValue = eq != std::string::npos;
    if (inlineValue) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (flags.count(name) && !inlineValue) {
      flags_.insert(name);
    } else if (valued.count(name)) {
      if (!inlineValue) {
        if (i + 1 >= argv.size()) throw SkyError(ErrorKind::Usage, "option --" + name + " needs a value");
        value = argv[++i];
      }
      values_[name] = value;
    } else {
      throw SkyError(ErrorKind::Usage, "unknown option --" + name + " (see --help)");
    }
  }
}

std::string Arguments::positional(size_t index, const std::string& what) const {
  if (index >= positionals_.size()) throw SkyError(ErrorKind::Usage, "missing " + what);
  return positionals_[index];
}

void Arguments::expectPositionals(size_t count, const std::string& usage) const {
  if (positionals_.size() != count) throw SkyError(ErrorKind::Usage, "usage: " + usage);
}

std::optional<std::string> Arguments::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Arguments::require(const std::string& name) const {
  auto v = get(name);
  if (!v) throw SkyError(ErrorKind::Usage, "option --" + name + " is required");
  return *v;
}

namespace {
int parseInt(const std::string& name, const std::string& text, int min, int max) {
  long long v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ptr != text.data() + text.size() || (ec != std::errc() && ec != std::errc::result_out_of_range)) {
    throw SkyError(ErrorKind::Usage, "--" + name + " expects an integer, got '" + text + "'");
  }
  if (ec == std::errc::result_out_of_range || v < min || v > max) {
    throw SkyError(
        ErrorKind::InvalidArgument,
        "--" + name + " " + text + " is out of range (" +
            (min == INT_MIN ? "at most " + std::to_string(max) : std::to_string(min) + " to " + std::to_string(max)) +
            ")");
  }
  return static_cast<int>(v);
}

double parseFiniteDouble(const std::string& text, const std::string& what) {
  char* end = nullptr;
  const double d = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    throw SkyError(ErrorKind::Usage, what + " expects a number, got '" + text + "'");
  }
  if (!std::isfinite(d))
    throw SkyError(ErrorKind::InvalidArgument, what + " must be a finite number, got '" + text + "'");
  return d;
}
}  // namespace

int Arguments::getInt(const std::string& name, int fallback, int min, int max) const {
  auto v = get(name);
  return v ? parseInt(name, *v, min, max) : fallback;
}

int Arguments::requireInt(const std::string& name, int min, int max) const {
  return parseInt(name, require(name), min, max);
}

double Arguments::getDouble(const std::string& name, double fallback) const {
  auto v = get(name);
  return v ? parseFiniteDouble(*v, "--" + name) : fallback;
}

int Arguments::threads() const {
  auto v = get("threads");
  return v ? checkedThreadCount(*v, "threads") : 0;
}

int maxThreads() { return 4 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

int checkedThreadCount(const std::string& text, const std::string& option) {
  const int n = parseInt(option, text, 0, INT_MAX);
  if (n > maxThreads()) {
    throw SkyError(ErrorKind::InvalidArgument, "--" + option + " " + text +
                                                   " is more than 4 threads per core (at most " +
                                                   std::to_string(maxThreads()) + " on this machine)");
  }
  return n;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    if (!item.empty()) parts.push_back(item);
  }
  return parts;
}

std::vector<double> numberList(const std::string& text, const std::string& option) {
  std::vector<double> out;
  for (const auto& part : splitList(text)) {
    char* end = nullptr;
    const double d = std::strtod(part.c_str(), &end);
    if (end != part.c_str() + part.size()) {
      throw SkyError(ErrorKind::Usage, "--" + option + ": '" + part + "' is not a number");
    }
    if (!std::isfinite(d)) throw SkyError(ErrorKind::InvalidArgument, "--" + option + ": '" + part + "' is not finite");
    out.push_back(d);
  }
  return out;
}

}  // namespace cli
