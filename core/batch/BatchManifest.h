#pragma once
// The record of a batch run in its output directory: batch.json (the settings every result was
// made with) and manifest*.jsonl (one JSON line per finished input). A rerun reads them to skip
// what is done, so a crashed or pre-empted run resumes where it stopped.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace sky {

struct BatchRecord {
  std::string key;
  std::string input;
  std::string status;                // "ok" or "failed"
  std::vector<std::string> outputs;  // file names inside the output directory
  std::string method;
  std::map<std::string, std::string> parameters;
  double seconds = 0;  // wall time of this input (load, explain, write)
  int rank = 0;        // MPI rank or shard index that did it
  std::string host;
  std::string finished;  // UTC, ISO 8601
  std::string error;     // why it failed
  bool ok() const { return status == "ok"; }
};

std::string toJsonLine(const BatchRecord& record);        // one line, no newline
BatchRecord recordFromJsonLine(const std::string& line);  // throws SkyError(InvalidFormat)

// Appends records to one manifest file, each as a single write(2) on an O_APPEND descriptor
// followed by fsync, so a crash loses at most the line being written and never splits one.
class ManifestAppender {
 public:
  explicit ManifestAppender(const std::filesystem::path& path);
  ~ManifestAppender();
  ManifestAppender(const ManifestAppender&) = delete;
  ManifestAppender& operator=(const ManifestAppender&) = delete;
  void append(const BatchRecord& record);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

struct BatchManifest {
  std::vector<BatchRecord> records;  // in file order, every manifest*.jsonl of the directory
  int unreadableLines = 0;           // a line torn by a crash, skipped
};
BatchManifest readBatchManifest(const std::filesystem::path& outdir);

// Keys whose latest record is ok and whose outputs all exist.
std::set<std::string> completedKeys(const BatchManifest& manifest, const std::filesystem::path& outdir);

// The latest record per key (a failed input retried later is listed once, as it ended).
std::vector<BatchRecord> latestRecords(const BatchManifest& manifest);

// The settings that decide a batch's results. The first run writes them to batch.json; a
// rerun or another shard with different settings is refused, since its results would be
// mixed with the others under the same names.
struct BatchSettings {
  std::string model;
  std::string method;
  std::map<std::string, std::string> parameters;
};
void claimBatchDirectory(const std::filesystem::path& outdir, const BatchSettings& settings);
BatchSettings readBatchSettings(const std::filesystem::path& outdir);

std::string utcTimestamp();

}  // namespace sky
