#pragma once
// A small JSON reader (RFC 8259) for model cards, sessions and sidecar files.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace sky {

class JsonValue {
 public:
  using Array = std::vector<JsonValue>;
  using Object = std::map<std::string, JsonValue>;

  JsonValue() = default;  // null
  static JsonValue parse(const std::string& text, const std::string& sourceName = "JSON");
  static JsonValue parseFile(const std::filesystem::path& path);

  bool isNull() const { return std::holds_alternative<std::monostate>(value_); }
  bool isNumber() const { return std::holds_alternative<double>(value_); }
  bool isString() const { return std::holds_alternative<std::string>(value_); }
  bool isBool() const { return std::holds_alternative<bool>(value_); }
  bool isArray() const { return std::holds_alternative<std::shared_ptr<Array>>(value_); }
  bool isObject() const { return std::holds_alternative<std::shared_ptr<Object>>(value_); }

  // Typed access; throws SkyError(InvalidFormat) naming `what` on a type mismatch.
  double number(const std::string& what) const;
  const std::string& string(const std::string& what) const;
  bool boolean(const std::string& what) const;
  const Array& array(const std::string& what) const;
  const Object& object(const std::string& what) const;

  // Object member or null when absent (or when this is not an object).
  const JsonValue& operator[](const std::string& key) const;
  bool has(const std::string& key) const;

 private:
  friend class JsonParser;
  std::variant<std::monostate, bool, double, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>> value_;
};

}  // namespace sky
