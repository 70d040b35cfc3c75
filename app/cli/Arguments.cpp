#include "Arguments.h"

#include <charconv>
#include <sstream>

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
int parseInt(const std::string& name, const std::string& text) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    throw SkyError(ErrorKind::Usage, "--" + name + " expects an integer, got '" + text + "'");
  }
  return v;
}
}  // namespace

int Arguments::getInt(const std::string& name, int fallback) const {
  auto v = get(name);
  return v ? parseInt(name, *v) : fallback;
}

int Arguments::requireInt(const std::string& name) const { return parseInt(name, require(name)); }

double Arguments::getDouble(const std::string& name, double fallback) const {
  auto v = get(name);
  if (!v) return fallback;
  char* end = nullptr;
  const double d = std::strtod(v->c_str(), &end);
  if (end == v->c_str() || *end != '\0') {
    throw SkyError(ErrorKind::Usage, "--" + name + " expects a number, got '" + *v + "'");
  }
  return d;
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
    try {
      size_t used = 0;
      out.push_back(std::stod(part, &used));
      if (used != part.size()) throw std::invalid_argument(part);
    } catch (const std::exception&) {
      throw sky::SkyError(sky::ErrorKind::Usage, "--" + option + ": '" + part + "' is not a number");
    }
  }
  return out;
}

}  // namespace cli
