#include "io/JsonValue.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "io/AtomicFile.h"
#include "util/Error.h"

namespace sky {

class JsonParser {
 public:
  JsonParser(const std::string& text, const std::string& name) : s_(text), name_(name) {}

  JsonValue document() {
    JsonValue v = value(0);
    skipSpace();
    if (pos_ != s_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    size_t line = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) line += s_[i] == '\n';
    throw SkyError(ErrorKind::InvalidFormat, name_ + ": invalid JSON at line " + std::to_string(line) + ": " + what);
  }
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  bool consume(const char* word) {
    const size_t n = std::char_traits<char>::length(word);
    if (s_.compare(pos_, n, word) != 0) return false;
    pos_ += n;
    return true;
  }

  JsonValue value(int depth) {
    if (depth > 200) fail("nesting too deep");
    skipSpace();
    if (pos_ >= s_.size()) fail("unexpected end");
    JsonValue v;
    const char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      auto obj = std::make_shared<JsonValue::Object>();
      skipSpace();
      if (pos_ < s_.size() && s_[pos_] == '}') {
        ++pos_;
      } else {
        while (true) {
          skipSpace();
          if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a member name");
          std::string key = string();
          skipSpace();
          if (pos_ >= s_.size() || s_[pos_++] != ':') fail("expected ':'");
          (*obj)[key] = value(depth + 1);
          skipSpace();
          if (pos_ < s_.size() && s_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (pos_ < s_.size() && s_[pos_] == '}') {
            ++pos_;
            break;
          }
          fail("expected ',' or '}'");
        }
      }
      v.value_ = obj;
    } else if (c == '[') {
      ++pos_;
      auto arr = std::make_shared<JsonValue::Array>();
      skipSpace();
      if (pos_ < s_.size() && s_[pos_] == ']') {
        ++pos_;
      } else {
        while (true) {
          arr->push_back(value(depth + 1));
          skipSpace();
          if (pos_ < s_.size() && s_[pos_] == ',') {
            ++pos_;
            continue;
          }
          if (pos_ < s_.size() && s_[pos_] == ']') {
            ++pos_;
            break;
          }
          fail("expected ',' or ']'");
        }
      }
      v.value_ = arr;
    } else if (c == '"') {
      v.value_ = string();
    } else if (consume("true")) {
      v.value_ = true;
    } else if (consume("false")) {
      v.value_ = false;
    } else if (consume("null")) {
    } else {
      char* end = nullptr;
      const double d = std::strtod(s_.c_str() + pos_, &end);
      if (end == s_.c_str() + pos_) fail("unexpected character '" + std::string(1, c) + "'");
      pos_ = static_cast<size_t>(end - s_.c_str());
      v.value_ = d;
    }
    return v;
  }

  std::string string() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      c = s_[pos_++];
      switch (c) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          if (pos_ + 4 > s_.size()) fail("bad \\u escape");
          const unsigned code = static_cast<unsigned>(std::strtoul(s_.substr(pos_, 4).c_str(), nullptr, 16));
          pos_ += 4;
          if (code < 0x80)
            out += static_cast<char>(code);
          else if (code < 0x800) {
            out += static_cast<char>(0xC0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (code & 0x3F));
          }
          break;
        }
        default:
          out += c;
      }
    }
    if (pos_ >= s_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }

  const std::string& s_;
  std::string name_;
  size_t pos_ = 0;
};

JsonValue JsonValue::parse(const std::string& text, const std::string& sourceName) {
  return JsonParser(text, sourceName).document();
}

JsonValue JsonValue::parseFile(const std::filesystem::path& path) {
  requireReadableFile(path, "JSON file");
  std::ifstream f(path);
  if (!f) throw SkyError(ErrorKind::FileNotFound, "cannot open " + path.string());
  std::stringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), path.string());
}

namespace {
[[noreturn]] void typeError(const std::string& what, const char* expected) {
  throw SkyError(ErrorKind::InvalidFormat, what + " must be " + expected);
}
}  // namespace

double JsonValue::number(const std::string& what) const {
  if (!isNumber()) typeError(what, "a number");
  return std::get<double>(value_);
}
const std::string& JsonValue::string(const std::string& what) const {
  if (!isString()) typeError(what, "a string");
  return std::get<std::string>(value_);
}
bool JsonValue::boolean(const std::string& what) const {
  if (!isBool()) typeError(what, "true or false");
  return std::get<bool>(value_);
}
const JsonValue::Array& JsonValue::array(const std::string& what) const {
  if (!isArray()) typeError(what, "an array");
  return *std::get<std::shared_ptr<Array>>(value_);
}
const JsonValue::Object& JsonValue::object(const std::string& what) const {
  if (!isObject()) typeError(what, "an object");
  return *std::get<std::shared_ptr<Object>>(value_);
}
const JsonValue& JsonValue::operator[](const std::string& key) const {
  static const JsonValue null;
  if (!isObject()) return null;
  const auto& obj = *std::get<std::shared_ptr<Object>>(value_);
  auto it = obj.find(key);
  return it == obj.end() ? null : it->second;
}
bool JsonValue::has(const std::string& key) const { return isObject() && !(*this)[key].isNull(); }

}  // namespace sky
