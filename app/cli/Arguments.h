#pragma once
// Command-line arguments of one sub-command: positionals plus `--name value` options and
// `--flag` switches, checked against what the command declares (unknown options are errors).
#include <climits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cli {

class Arguments {
 public:
  // `valued`: options that take a value; `flags`: switches. "-o" is an alias of "--output".
  Arguments(const std::vector<std::string>& argv, const std::set<std::string>& valued,
            const std::set<std::string>& flags);

  const std::vector<std::string>& positionals() const { return positionals_; }
  std::string positional(size_t index, const std::string& what) const;
  void expectPositionals(size_t count, const std::string& usage) const;

  // Every `--name value` given (without the flags), e.g. to record a run's settings.
  const std::map<std::string, std::string>& values() const { return values_; }
  bool has(const std::string& name) const { return values_.count(name) > 0 || flags_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  // Integers outside [min, max] (and numbers too large for an int) are InvalidArgument errors
  // that say the allowed range.
  int getInt(const std::string& name, int fallback, int min = INT_MIN, int max = INT_MAX) const;
  int requireInt(const std::string& name, int min = INT_MIN, int max = INT_MAX) const;
  // A finite number (nan and inf are refused: no option means them).
  double getDouble(const std::string& name, double fallback) const;
  // --threads: 0 (the default) lets the engine choose; else 1..maxThreads().
  int threads() const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

// The most threads a command may ask for: a small multiple of this machine's cores (more only
// thrash, and tens of thousands crash OpenMP).
int maxThreads();
// Checks a thread count given as --threads (global or per command).
int checkedThreadCount(const std::string& text, const std::string& option);

// Splits "T,Q,U" into its parts.
std::vector<std::string> splitList(const std::string& text);
// "10,20.5,30" as numbers; a part that is not a number is a usage error naming --option.
std::vector<double> numberList(const std::string& text, const std::string& option);

}  // namespace cli
