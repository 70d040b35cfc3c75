#include "batch/BatchManifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>

#include "io/AtomicFile.h"
#include "io/Json.h"
#include "io/JsonValue.h"
#include "util/Error.h"

namespace sky {
namespace fs = std::filesystem;

std::string toJsonLine(const BatchRecord& r) {
  JsonWriter j;
  j.beginObject().value("key", r.key).value("input", r.input).value("status", r.status).strings("outputs", r.outputs);
  j.value("method", r.method).beginObject("parameters");
  for (const auto& [name, value] : r.parameters) j.value(name, value);
  j.endObject().value("seconds", r.seconds).value("rank", r.rank).value("host", r.host).value("finished", r.finished);
  if (!r.error.empty()) j.value("error", r.error);
  j.endObject();
  return j.text();  // JsonWriter writes one line; strings escape their newlines
}

ManifestAppender::ManifestAppender(const fs::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw SkyError(ErrorKind::OutputUnwritable,
                   "cannot open the manifest " + path.string() + ": " + std::strerror(errno));
}

ManifestAppender::~ManifestAppender() {
  if (fd_ >= 0) ::close(fd_);
}

void ManifestAppender::append(const BatchRecord& record) {
  const std::string line = toJsonLine(record) + "\n";
  const ssize_t written = ::write(fd_, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size()) || ::fsync(fd_) != 0) {
    throw SkyError(ErrorKind::OutputUnwritable,
                   "writing the manifest " + path_.string() + " failed: " + std::strerror(errno));
  }
}

namespace {

BatchRecord recordFromJson(const JsonValue& v) {
  BatchRecord r;
  r.key = v["key"].string("key");
  r.input = v["input"].string("input");
  r.status = v["status"].string("status");
  for (const auto& o : v["outputs"].array("outputs")) r.outputs.push_back(o.string("output"));
  r.method = v["method"].string("method");
  if (v.has("parameters")) {
    for (const auto& [name, value] : v["parameters"].object("parameters")) r.parameters[name] = value.string(name);
  }
  r.seconds = v["seconds"].number("seconds");
  r.rank = static_cast<int>(v["rank"].number("rank"));
  if (v.has("host")) r.host = v["host"].string("host");
  if (v.has("finished")) r.finished = v["finished"].string("finished");
  if (v.has("error")) r.error = v["error"].string("error");
  return r;
}

}  // namespace

BatchRecord recordFromJsonLine(const std::string& line) {
  return recordFromJson(JsonValue::parse(line, "manifest line"));
}

BatchManifest readBatchManifest(const fs::path& outdir) {
  BatchManifest manifest;
  if (!fs::is_directory(outdir)) return manifest;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(outdir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("manifest") && name.ends_with(".jsonl")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      try {
        manifest.records.push_back(recordFromJson(JsonValue::parse(line, file.string())));
      } catch (const SkyError&) {
        ++manifest.unreadableLines;
      }
    }
  }
  // Shards write their own files: order the records by when they finished.
  std::stable_sort(manifest.records.begin(), manifest.records.end(),
                   [](const BatchRecord& a, const BatchRecord& b) { return a.finished < b.finished; });
  return manifest;
}

std::vector<BatchRecord> latestRecords(const BatchManifest& manifest) {
  std::map<std::string, size_t> latest;
  std::vector<BatchRecord> out;
  for (const auto& r : manifest.records) {
    if (const auto it = latest.find(r.key); it != latest.end() && !(out[it->second].ok() && !r.ok())) {
      out[it->second] = r;  // a later attempt replaces an earlier one, but never turns ok into failed
    } else if (it == latest.end()) {
      latest[r.key] = out.size();
      out.push_back(r);
    }
  }
  return out;
}

std::set<std::string> completedKeys(const BatchManifest& manifest, const fs::path& outdir) {
  std::set<std::string> done;
  for (const auto& r : latestRecords(manifest)) {
    if (!r.ok()) continue;
    bool present = true;
    for (const auto& output : r.outputs) present = present && fs::is_regular_file(outdir / output);
    if (present) done.insert(r.key);
  }
  return done;
}

namespace {

std::string settingsJson(const BatchSettings& s) {
  JsonWriter j;
  j.beginObject().value("format", "skyinterpret-batch/1").value("model", s.model).value("method", s.method);
  j.beginObject("parameters");
  for (const auto& [name, value] : s.parameters) j.value(name, value);
  j.endObject().endObject();
  return j.text() + "\n";
}

std::string describeDifference(const BatchSettings& had, const BatchSettings& want) {
  if (had.model != want.model) return "model " + had.model + " vs " + want.model;
  if (had.method != want.method) return "method " + had.method + " vs " + want.method;
  std::set<std::string> names;
  for (const auto& [n, v] : had.parameters) names.insert(n);
  for (const auto& [n, v] : want.parameters) names.insert(n);
  for (const auto& n : names) {
    const auto a = had.parameters.find(n), b = want.parameters.find(n);
    const std::string va = a == had.parameters.end() ? "(default)" : a->second;
    const std::string vb = b == want.parameters.end() ? "(default)" : b->second;
    if (va != vb) return "--" + n + " " + va + " vs " + vb;
  }
  return {};
}

}  // namespace

BatchSettings readBatchSettings(const fs::path& outdir) {
  const JsonValue v = JsonValue::parseFile(outdir / "batch.json");
  if (v["format"].isNull() || v["format"].string("format") != "skyinterpret-batch/1") {
    throw SkyError(ErrorKind::InvalidFormat, (outdir / "batch.json").string() + " is not a SkyInterpret batch file");
  }
  BatchSettings s;
  s.model = v["model"].string("model");
  s.method = v["method"].string("method");
  for (const auto& [name, value] : v["parameters"].object("parameters")) s.parameters[name] = value.string(name);
  return s;
}

void claimBatchDirectory(const fs::path& outdir, const BatchSettings& settings) {
  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec || !fs::is_directory(outdir)) {
    throw SkyError(ErrorKind::OutputUnwritable,
                   "cannot create the output directory " + outdir.string() + ": " + ec.message());
  }
  const fs::path file = outdir / "batch.json";
  if (fs::exists(file)) {
    const std::string difference = describeDifference(readBatchSettings(outdir), settings);
    if (!difference.empty()) {
      throw SkyError(ErrorKind::InvalidArgument, outdir.string() + " holds a batch made with other settings (" +
                                                     difference +
                                                     "); its results would be mixed with these: use another --outdir");
    }
    return;
  }
  // Shards starting together may all write it; each writes the same text, renamed atomically.
  writeAtomically(file, Overwrite::Allow, [&](const fs::path& temp) {
    std::ofstream out(temp);
    out << settingsJson(settings);
    if (!out) throw SkyError(ErrorKind::OutputUnwritable, "writing " + file.string() + " failed");
  });
}

std::string utcTimestamp() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm utc{};
  gmtime_r(&ts.tv_sec, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ts.tv_nsec / 1000000);
  return text;
}

}  // namespace sky
