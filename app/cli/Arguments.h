#pragma once
// Command-line arguments of one sub-command: positionals plus `--name value` options and
// `--flag` switches, checked against what the command declares (unknown options are errors).
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

  bool has(const std::string& name) const { return values_.count(name) > 0 || flags_.count(name) > 0; }
  std::optional<std::string> get(const std::string& name) const;
  std::string require(const std::string& name) const;
  int getInt(const std::string& name, int fallback) const;
  int requireInt(const std::string& name) const;
  double getDouble(const std::string& name, double fallback) const;

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
};

// Splits "T,Q,U" into its parts.
std::vector<std::string> splitList(const std::string& text);
// "10,20.5,30" as numbers; a part that is not a number is a usage error naming --option.
std::vector<double> numberList(const std::string& text, const std::string& option);

}  // namespace cli
