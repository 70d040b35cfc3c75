#include "BatchJob.h"

#include <omp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "Commands.h"
#include "ExplainIo.h"
#include "ExplainerOptions.h"
#include "ModelOptions.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;
namespace fs = std::filesystem;

namespace {

// Options that decide the results (recorded and compared on rerun): every explainer parameter
// (partition's --batch-size too: it changes the values, as in shap), --nside and these flags;
// --threads and the batch's own options do not.
std::set<std::string> resultOptions() {
  std::set<std::string> names = explainerValuedOptions();
  names.insert("nside");
  return names;
}
std::set<std::string> resultFlags() {
  std::set<std::string> names = explainerFlagOptions();
  names.insert({"no-preprocess", "exact-model"});
  return names;
}

std::string hostName() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

Arguments parseBatchArguments(const std::vector<std::string>& argv) {
  std::set<std::string> valued = resultOptions();
  valued.insert({"model", "inputs", "method", "outdir", "threads", "shard"});
  std::set<std::string> flags = resultFlags();
  Arguments args(argv, valued, flags);
  args.expectPositionals(0, "batch --model M.pt --inputs LIST|GLOB|DIR --method METHOD --outdir DIR");
  return args;
}

int launcherWorldSize() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(name)) return std::max(1, std::atoi(v));
  }
  return 1;
}

BatchJob::BatchJob(const Arguments& args)
    : args_(args), outdir_(args.require("outdir")), modelPath_(args.require("model")), method_(args.require("method")) {
  explainerSettings(args, method_);  // a wrong method or option stops here
  sky::requireReadableFile(modelPath_, "model file");
  if (const auto cardPath = sky::modelCardPathFor(modelPath_)) card_ = sky::readModelCard(*cardPath);
  nside_ = args.getInt("nside", 0);
  if (nside_ != 0 && !sky::isValidNside(nside_)) {
    throw SkyError(ErrorKind::InvalidArgument, "--nside " + std::to_string(nside_) + " is not a power of two");
  }
  threads_ = args.threads();
  settings_.model = fs::absolute(modelPath_).lexically_normal().string();
  settings_.method = method_;
  for (const auto& name : resultOptions()) {
    if (const auto v = args.get(name)) settings_.parameters[name] = *v;
  }
  for (const auto& name : resultFlags()) {
    if (args.has(name)) settings_.parameters[name] = "true";
  }
}

void BatchJob::loadModelEarly() {
  if (card_ && card_->hasInputShape())
    modelFor({static_cast<int>(card_->channels.size()), card_->height, card_->width});
}

sky::Model& BatchJob::modelFor(const sky::ImageShape& shape) {
  if (!model_) {
    model_ = loadModel(modelPath_, args_, shape);
  }
  const sky::ImageShape want = model_->inputShape();
  if (shape.channels != want.channels || shape.height != want.height || shape.width != want.width) {
    throw SkyError(ErrorKind::InvalidData, "the input is " + std::to_string(shape.channels) + "x" +
                                               std::to_string(shape.height) + "x" + std::to_string(shape.width) +
                                               " but the model takes " + std::to_string(want.channels) + "x" +
                                               std::to_string(want.height) + "x" + std::to_string(want.width));
  }
  return *model_;
}

std::vector<std::string> BatchJob::explainAndWrite(const sky::BatchInput& input, const std::atomic<bool>* cancel) {
  const std::string path = input.path.string();
  int mapNside = 0;
  const sky::ImageBatch batch =
      loadInputs(path, card_ ? &*card_ : nullptr, !args_.has("no-preprocess"), false, &mapNside);
  const int nside = nside_ > 0 ? nside_ : mapNside;  // image inputs: a sphere only with --nside
  sky::Model& model = modelFor(batch.shape);
  sky::Progress progress({}, cancel);
  const sky::Attribution a = explainWithArguments(args_, method_, model, batch, progress);

  // Results are replaced, not refused: a file under these names without an ok record is the
  // leftover of a run that died before recording it.
  const std::string stem = input.key + "." + method_;
  std::vector<std::string> outputs = {stem + ".npy"};
  writeAttributionNpy((outdir_ / outputs.back()).string(), a, sky::Overwrite::Allow);
  if (nside > 0) {
    outputs.push_back(stem + ".fits");
    writeHealpix((outdir_ / outputs.back()).string(), a, nside, sky::Overwrite::Allow);
  }
  outputs.push_back(stem + ".json");
  writeSidecar((outdir_ / outputs.back()).string(), a, modelPath_, model_->forwardPath(), path, sky::Overwrite::Allow);
  return outputs;
}

sky::BatchRecord BatchJob::process(const sky::BatchInput& input, int rank, const std::atomic<bool>* cancel) {
  const auto start = std::chrono::steady_clock::now();
  sky::BatchRecord r;
  r.key = input.key;
  r.input = input.path.string();
  r.method = method_;
  r.parameters = settings_.parameters;
  r.rank = rank;
  r.host = hostName();
  try {
    r.outputs = explainAndWrite(input, cancel);
    r.status = "ok";
  } catch (const SkyError& e) {
    if (e.kind() == ErrorKind::Cancelled || e.kind() == ErrorKind::OutputUnwritable)
      throw;  // the batch's problem, not the input's
    r.status = "failed";
    r.error = e.what();
  } catch (const std::exception& e) {
    r.status = "failed";
    r.error = std::string("internal error: ") + e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.finished = sky::utcTimestamp();
  return r;
}

bool explainFromLedger(BatchJob& job, sky::BatchLedger& ledger, const std::vector<sky::BatchInput>& inputs, int rank,
                       const std::atomic<bool>* cancel) {
  while (const auto index = ledger.next()) {
    try {
      if (cancel->load()) throw SkyError(ErrorKind::Cancelled, "interrupted");
      ledger.finish(job.process(inputs[*index], rank, cancel));
    } catch (const SkyError& e) {
      if (e.kind() != ErrorKind::Cancelled) throw;
      ledger.stopHandingOut();
      return true;
    }
  }
  return false;
}

BatchPlan planBatch(const BatchJob& job, const std::string& inputSpec, const sky::Shard& shard) {
  BatchPlan plan;
  plan.inputs = sky::resolveBatchInputs(inputSpec);
  sky::claimBatchDirectory(job.outdir(), job.settings());
  const sky::BatchManifest manifest = sky::readBatchManifest(job.outdir());
  if (manifest.unreadableLines > 0) {
    std::fprintf(
        stderr, "note: %d unreadable manifest line(s) skipped (a run stopped while writing); their inputs are redone\n",
        manifest.unreadableLines);
  }
  const std::set<std::string> done = sky::completedKeys(manifest, job.outdir());
  size_t owned = 0;
  for (size_t i = 0; i < plan.inputs.size(); ++i) {
    if (!shard.owns(i)) continue;
    ++owned;
    if (done.count(plan.inputs[i].key))
      ++plan.alreadyDone;
    else
      plan.pending.push_back(i);
  }
  std::fprintf(
      stderr, "batch: %zu inputs%s, %zu done before, %zu to do -> %s\n", owned,
      shard.count > 1 ? (" in shard " + std::to_string(shard.index) + "/" + std::to_string(shard.count)).c_str() : "",
      plan.alreadyDone, plan.pending.size(), job.outdir().c_str());
  return plan;
}

void printBatchProgress(const sky::BatchRecord& record, const sky::BatchProgress& p) {
  const int width = static_cast<int>(std::to_string(p.total).size());
  std::fprintf(stderr, "[%*zu/%zu] %s %s %.2f s (rank %d)", width, p.finished, p.total, record.key.c_str(),
               record.status.c_str(), record.seconds, record.rank);
  if (!record.ok()) std::fprintf(stderr, ": %s", record.error.c_str());
  if (p.secondsRemaining >= 0 && p.finished < p.total) std::fprintf(stderr, ", ETA %.0f s", p.secondsRemaining);
  std::fprintf(stderr, "\n");
}

int batchExitCode(const sky::BatchProgress& p, bool cancelled, const fs::path& outdir) {
  std::fprintf(stderr, "batch: %zu done, %zu failed in %.1f s%s; manifest in %s\n", p.finished - p.failed, p.failed,
               p.elapsedSeconds, cancelled ? ", cancelled (rerun to finish)" : "", outdir.c_str());
  if (cancelled) return static_cast<int>(ErrorKind::Cancelled);
  if (p.failed > 0) return static_cast<int>(ErrorKind::Incomplete);
  return 0;
}

}  // namespace cli
