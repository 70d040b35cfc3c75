#pragma once
// A small JSON writer for reports and sidecar files (ATTR.json, info --json). Values are
// appended in order; doubles print in shortest round-trip form, NaN/inf as null.
#include <filesystem>
#include <string>
#include <vector>

#include "io/AtomicFile.h"

namespace sky {

class JsonWriter {
 public:
  JsonWriter& beginObject(const std::string& key = {});
  JsonWriter& endObject();
  JsonWriter& beginArray(const std::string& key = {});
  JsonWriter& endArray();
  JsonWriter& value(const std::string& key, const std::string& v);
  JsonWriter& value(const std::string& key, const char* v) { return value(key, std::string(v)); }
  JsonWriter& value(const std::string& key, double v);
  JsonWriter& value(const std::string& key, long long v);
  JsonWriter& value(const std::string& key, int v) { return value(key, static_cast<long long>(v)); }
  JsonWriter& value(const std::string& key, bool v);
  JsonWriter& numbers(const std::string& key, const std::vector<double>& v);
  JsonWriter& strings(const std::string& key, const std::vector<std::string>& v);
  const std::string& text() const { return out_; }

  static std::string quote(const std::string& s);
  static std::string number(double v);

 private:
  void prefix(const std::string& key);
  std::string out_;
  std::vector<bool> needsComma_;
};

// The writer's text and a newline, written to a temporary file renamed over `path`.
void writeJsonFile(const std::filesystem::path& path, const JsonWriter& json, Overwrite overwrite);

}  // namespace sky
