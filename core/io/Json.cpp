#include "io/Json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "util/Error.h"

namespace sky {

std::string JsonWriter::quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string JsonWriter::number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

void JsonWriter::prefix(const std::string& key) {
  if (!needsComma_.empty()) {
    if (needsComma_.back()) out_ += ", ";
    needsComma_.back() = true;
  }
  if (!key.empty()) out_ += quote(key) + ": ";
}

JsonWriter& JsonWriter::beginObject(const std::string& key) {
  prefix(key);
  out_ += "{";
  needsComma_.push_back(false);
  return *this;
}
JsonWriter& JsonWriter::endObject() {
  out_ += "}";
  needsComma_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::beginArray(const std::string& key) {
  prefix(key);
  out_ += "[";
  needsComma_.push_back(false);
  return *this;
}
JsonWriter& JsonWriter::endArray() {
  out_ += "]";
  needsComma_.pop_back();
  return *this;
}
JsonWriter& JsonWriter::value(const std::string& key, const std::string& v) {
  prefix(key);
  out_ += quote(v);
  return *this;
}
JsonWriter& JsonWriter::value(const std::string& key, double v) {
  prefix(key);
  out_ += number(v);
  return *this;
}
JsonWriter& JsonWriter::value(const std::string& key, long long v) {
  prefix(key);
  out_ += std::to_string(v);
  return *this;
}
JsonWriter& JsonWriter::value(const std::string& key, bool v) {
  prefix(key);
  out_ += v ? "true" : "false";
  return *this;
}
JsonWriter& JsonWriter::numbers(const std::string& key, const std::vector<double>& v) {
  beginArray(key);
  for (double x : v) value({}, x);
  return endArray();
}
JsonWriter& JsonWriter::strings(const std::string& key, const std::vector<std::string>& v) {
  beginArray(key);
  for (const auto& x : v) value({}, x);
  return endArray();
}

void writeJsonFile(const std::filesystem::path& path, const JsonWriter& json, Overwrite overwrite) {
  writeAtomically(path, overwrite, [&](const std::filesystem::path& temp) {
    std::ofstream f(temp);
    f << json.text() << "\n";
    if (!f) throw SkyError(ErrorKind::OutputUnwritable, "writing " + path.string() + " failed");
  });
}

}  // namespace sky
