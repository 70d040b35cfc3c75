// The batch engine's bookkeeping: input lists and keys, shards, manifest lines, resume state,
// the settings check and the work queue. The CLI tests run real batches (alone, sharded, MPI).
#include <fstream>
#include <set>
#include <thread>

#include "TestSupport.h"
#include "batch/BatchCollection.h"
#include "batch/BatchInputs.h"
#include "batch/BatchLedger.h"
#include "batch/BatchManifest.h"
#include "io/HealpixFits.h"
#include "simulate/Manifest.h"
#include "sky/PowerSpectrum.h"

using skytest::expectSkyError;
using skytest::ScratchDir;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& p, const std::string& text = "x") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::vector<std::string> keysOf(const std::vector<sky::BatchInput>& inputs) {
  std::vector<std::string> keys;
  for (const auto& in : inputs) keys.push_back(in.key);
  return keys;
}

sky::BatchRecord record(const std::string& key, const std::string& status, std::vector<std::string> outputs = {}) {
  sky::BatchRecord r;
  r.key = key;
  r.input = "/data/" + key + ".fits";
  r.status = status;
  r.outputs = std::move(outputs);
  r.method = "saliency";
  r.finished = sky::utcTimestamp();
  return r;
}

}  // namespace

TEST(BatchInputs, DirectoryGlobAndListGiveSortedInputsWithStableKeys) {
  ScratchDir dir;
  for (const char* name : {"b.fits", "a.fits", "c.npy", "notes.txt"}) touch(dir / "maps" / name);
  const auto fromDir = sky::resolveBatchInputs((dir / "maps").string());
  EXPECT_EQ(keysOf(fromDir), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(fromDir[0].path, dir / "maps" / "a.fits");
  EXPECT_EQ(keysOf(sky::resolveBatchInputs((dir / "maps" / "*.fits").string())), (std::vector<std::string>{"a", "b"}));

  // A list: comments, blank lines, paths relative to the list, duplicates once.
  touch(dir / "runs" / "r1" / "sky.fits");
  touch(dir / "runs" / "r2" / "sky.fits");
  touch(dir / "list.txt", "# two runs\nruns/r2/sky.fits\n\n  runs/r1/sky.fits  # first\nruns/r1/sky.fits\n");
  const auto listed = sky::resolveBatchInputs((dir / "list.txt").string());
  // Same file names in different directories keep their directories in the key.
  EXPECT_EQ(keysOf(listed), (std::vector<std::string>{"r1__sky", "r2__sky"}));
}

TEST(BatchInputs, BadSpecificationsAreSpecificErrors) {
  ScratchDir dir;
  touch(dir / "a.fits");
  touch(dir / "a.npy");
  expectSkyError([&] { sky::resolveBatchInputs(dir.path().string()); }, sky::ErrorKind::InvalidArgument,
                 "same outputs");
  expectSkyError([&] { sky::resolveBatchInputs((dir / "none*.fits").string()); }, sky::ErrorKind::FileNotFound,
                 "no input matches");
  expectSkyError([&] { sky::resolveBatchInputs((dir / "missing").string()); }, sky::ErrorKind::FileNotFound,
                 "no such input");
  touch(dir / "list.txt", "a.fits\nmissing.fits\n");
  expectSkyError([&] { sky::resolveBatchInputs((dir / "list.txt").string()); }, sky::ErrorKind::FileNotFound, "line 2");
  touch(dir / "list2.txt", "list.txt\n");
  expectSkyError([&] { sky::resolveBatchInputs((dir / "list2.txt").string()); }, sky::ErrorKind::InvalidArgument,
                 "neither a FITS map");
}

TEST(BatchInputs, ShardsCoverEveryInputExactlyOnce) {
  for (int n : {1, 2, 3, 7}) {
    std::vector<int> owners(20, 0);
    for (int i = 0; i < n; ++i) {
      const sky::Shard s = sky::Shard::parse(std::to_string(i) + "/" + std::to_string(n));
      for (size_t k = 0; k < owners.size(); ++k) owners[k] += s.owns(k) ? 1 : 0;
    }
    for (int count : owners) EXPECT_EQ(count, 1) << n << " shards";
  }
  for (const char* bad : {"3/3", "-1/2", "1", "a/b", "1/0", "0/2x"}) {
    expectSkyError([&] { sky::Shard::parse(bad); }, sky::ErrorKind::Usage, "--shard");
  }
}

TEST(BatchManifest, RecordsRoundTripThroughOneLine) {
  sky::BatchRecord r = record("map \"7\"", "failed", {"a.npy", "a.json"});
  r.error = "line one\nline two";
  r.parameters = {{"max-evals", "500"}, {"masker", "blur:8x8"}};
  r.seconds = 1.25;
  r.rank = 3;
  r.host = "node12";
  const std::string line = sky::toJsonLine(r);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  const sky::BatchRecord back = sky::recordFromJsonLine(line);
  EXPECT_EQ(back.key, r.key);
  EXPECT_EQ(back.error, r.error);
  EXPECT_EQ(back.outputs, r.outputs);
  EXPECT_EQ(back.parameters, r.parameters);
  EXPECT_EQ(back.seconds, 1.25);
  EXPECT_EQ(back.rank, 3);
  EXPECT_EQ(back.host, "node12");
  EXPECT_FALSE(back.ok());
}

TEST(BatchManifest, ResumeStateNeedsAnOkRecordAndItsFiles) {
  ScratchDir dir;
  {
    sky::ManifestAppender m(dir / "manifest.jsonl");
    m.append(record("a", "ok", {"a.npy"}));
    m.append(record("b", "failed"));
    m.append(record("c", "ok", {"c.npy"}));  // its file was deleted since
    m.append(record("d", "failed"));
    m.append(record("d", "ok", {"d.npy"}));  // retried
  }
  sky::ManifestAppender(dir / "manifest.shard-1-of-2.jsonl").append(record("e", "ok", {"e.npy"}));
  for (const char* f : {"a.npy", "d.npy", "e.npy"}) touch(dir / f);
  // A line torn by a crash is skipped, not fatal.
  std::ofstream(dir / "manifest.jsonl", std::ios::app) << "{\"key\": \"f\", \"inp";
  const sky::BatchManifest manifest = sky::readBatchManifest(dir.path());
  EXPECT_EQ(manifest.records.size(), 6u);
  EXPECT_EQ(manifest.unreadableLines, 1);
  EXPECT_EQ(sky::completedKeys(manifest, dir.path()), (std::set<std::string>{"a", "d", "e"}));
  const auto latest = sky::latestRecords(manifest);
  EXPECT_EQ(latest.size(), 5u);
}

TEST(BatchManifest, ADirectoryKeepsTheSettingsItWasMadeWith) {
  ScratchDir dir;
  sky::BatchSettings s{"/models/m.pt", "partition", {{"max-evals", "500"}}};
  sky::claimBatchDirectory(dir / "out", s);
  const sky::BatchSettings back = sky::readBatchSettings(dir / "out");
  EXPECT_EQ(back.model, s.model);
  EXPECT_EQ(back.parameters, s.parameters);
  sky::claimBatchDirectory(dir / "out", s);  // a rerun or another shard
  sky::BatchSettings other = s;
  other.parameters["max-evals"] = "1000";
  expectSkyError([&] { sky::claimBatchDirectory(dir / "out", other); }, sky::ErrorKind::InvalidArgument,
                 "--max-evals 500 vs 1000");
  other = s;
  other.parameters["masker"] = "blur:4x4";
  expectSkyError([&] { sky::claimBatchDirectory(dir / "out", other); }, sky::ErrorKind::InvalidArgument,
                 "--masker (default) vs");
  touch(dir / "file");
  expectSkyError([&] { sky::claimBatchDirectory(dir / "file" / "out", s); }, sky::ErrorKind::OutputUnwritable,
                 "output directory");
}

TEST(BatchLedger, HandsOutEveryInputOnceToConcurrentWorkers) {
  ScratchDir dir;
  sky::ManifestAppender manifest(dir / "manifest.jsonl");
  std::vector<size_t> pending(200);
  for (size_t i = 0; i < pending.size(); ++i) pending[i] = i * 2;
  size_t reports = 0;
  sky::BatchLedger ledger(pending, manifest, [&](const sky::BatchRecord&, const sky::BatchProgress& p) {
    ++reports;  // called under the ledger's lock
    EXPECT_LE(p.finished, p.total);
  });
  std::vector<std::vector<size_t>> taken(4);
  std::vector<std::thread> workers;
  for (auto& mine : taken) {
    workers.emplace_back([&ledger, &mine] {
      while (const auto i = ledger.next()) {
        mine.push_back(*i);
        ledger.finish(record("k" + std::to_string(*i), *i % 3 ? "ok" : "failed"));
      }
    });
  }
  for (auto& w : workers) w.join();
  std::multiset<size_t> all;
  for (const auto& mine : taken) all.insert(mine.begin(), mine.end());
  EXPECT_EQ(all, std::multiset<size_t>(pending.begin(), pending.end()));
  const sky::BatchProgress p = ledger.progress();
  EXPECT_EQ(p.finished, 200u);
  EXPECT_EQ(p.failed, 67u);  // multiples of 3 among 0, 2, ..., 398
  EXPECT_EQ(reports, 200u);
  EXPECT_EQ(sky::readBatchManifest(dir.path()).records.size(), 200u);
}

TEST(BatchLedger, StoppingHandsOutNothingMore) {
  ScratchDir dir;
  sky::ManifestAppender manifest(dir / "manifest.jsonl");
  sky::BatchLedger ledger({1, 2, 3, 4}, manifest);
  ASSERT_EQ(ledger.next(), 1u);
  ledger.stopHandingOut();
  EXPECT_FALSE(ledger.next().has_value());
  ledger.finish(record("one", "ok"));
  EXPECT_EQ(ledger.progress().total, 1u);
  EXPECT_EQ(ledger.progress().finished, 1u);
}

TEST(BatchCollection, ReadsRecordsLabelsAndAveragesAttributionsPerClass) {
  ScratchDir dir;
  const fs::path data = dir / "data", out = dir / "out";
  fs::create_directories(data);
  sky::claimBatchDirectory(out, {"/m.pt", "saliency", {}});
  // Three results: labels 0, 1, 1 from the dataset's manifest.csv; constant maps 1, 2, -4,
  // the third with one UNSEEN pixel; and one failed input.
  sky::writeManifest(data / "manifest.csv", {{"a.fits", 0, 1, {}}, {"b.fits", 1, 2, {}}, {"c.fits", 1, 3, {}}},
                     sky::Overwrite::Refuse);
  const int nside = 2;
  const std::vector<std::pair<std::string, double>> results = {{"a", 1.0}, {"b", 2.0}, {"c", -4.0}};
  {
    sky::ManifestAppender manifest(out / "manifest.jsonl");
    for (const auto& [key, value] : results) {
      sky::SkyMap map = sky::SkyMap::filled(nside, 1, value);
      if (key == "c") map.field(0)[5] = sky::kUnseen;
      sky::writeHealpixFits(map, out / (key + ".saliency.fits"));
      sky::BatchRecord r = record(key, "ok", {key + ".saliency.npy", key + ".saliency.fits"});
      r.input = (data / (key + ".fits")).string();
      manifest.append(r);
    }
    sky::BatchRecord failed = record("d", "failed");
    failed.input = (data / "d.fits").string();
    manifest.append(failed);
  }
  const sky::BatchCollection c = sky::openBatchCollection(out);
  ASSERT_EQ(c.entries.size(), 4u);
  EXPECT_EQ(c.okCount(), 3u);
  EXPECT_EQ(c.settings.method, "saliency");
  EXPECT_EQ(c.entries[1].label, 1);
  EXPECT_EQ(c.entries[1].attributionMap(), out / "b.saliency.fits");
  EXPECT_FALSE(c.entries[3].label.has_value());

  sky::Progress progress;
  const sky::CollectionMeans m = sky::meanAttributions(c, progress);
  ASSERT_EQ(m.groups.size(), 3u);
  EXPECT_EQ(m.counts, (std::vector<int>{3, 1, 2}));
  EXPECT_EQ(m.nside, nside);
  EXPECT_DOUBLE_EQ(m.mean[0][0], (1.0 + 2.0 - 4.0) / 3);
  EXPECT_DOUBLE_EQ(m.meanAbs[0][0], 7.0 / 3);
  EXPECT_DOUBLE_EQ(m.mean[1][0], 1.0);
  EXPECT_DOUBLE_EQ(m.mean[2][0], -1.0);
  EXPECT_DOUBLE_EQ(m.meanAbs[2][0], 3.0);
  EXPECT_DOUBLE_EQ(m.mean[2][5], 2.0);  // the UNSEEN pixel is left out of its mean
  EXPECT_DOUBLE_EQ(m.mean[0][5], 1.5);
  // Attribution spectra per group: the mean and sample scatter of each map's anafast C_l
  // (masked pixels as zero); a constant map c has C_0 = 4 pi c^2 (to quadrature at nside 2).
  const auto clOf = [&](const std::string& key) {
    sky::SkyMap map = sky::readHealpixFits(out / (key + ".saliency.fits"));
    for (double& v : map.field(0))
      if (sky::isMasked(v)) v = 0.0;
    sky::SpectrumOptions so;
    so.polarised = false;
    so.correctForSkyFraction = false;
    return sky::anafast(map, so).cl[0];
  };
  const auto ca = clOf("a"), cb = clOf("b"), cc = clOf("c");
  ASSERT_EQ(m.clMean.size(), 3u);
  ASSERT_EQ(m.clMean[1].size(), static_cast<size_t>(3 * nside));
  EXPECT_EQ(m.clMean[1], ca);
  EXPECT_NEAR(m.clMean[1][0], 4 * std::numbers::pi, 1e-3 * 4 * std::numbers::pi);
  EXPECT_TRUE(std::isnan(m.clStd[1][0]));  // one map: no scatter
  for (size_t l = 0; l < cb.size(); ++l) {
    EXPECT_NEAR(m.clMean[2][l], (cb[l] + cc[l]) / 2, 1e-9 * cc[0]) << l;
    EXPECT_NEAR(m.clStd[2][l], std::abs(cb[l] - cc[l]) / std::sqrt(2.0), 1e-6 * cc[0]) << l;
    EXPECT_NEAR(m.clMean[0][l], (ca[l] + cb[l] + cc[l]) / 3, 1e-9 * cc[0]) << l;
  }

  expectSkyError([&] { sky::openBatchCollection(data); }, sky::ErrorKind::FileNotFound, "not a batch output directory");
  sky::FitsWriteOptions replace;
  replace.overwrite = sky::Overwrite::Allow;
  sky::writeHealpixFits(sky::SkyMap::filled(4, 1, 0.0), out / "b.saliency.fits", replace);
  expectSkyError([&] { sky::meanAttributions(c, progress); }, sky::ErrorKind::InvalidData, "nside 4");
}
