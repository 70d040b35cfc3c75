#pragma once
// One batch's settings and the work on one input: load it, explain it, write its results
// (atomically, under names made from its key) and describe the outcome as a manifest record.
// Shared by the single-process, --shard and MPI runs of `skyinterpret-cli batch`.
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "Arguments.h"
#include "batch/BatchInputs.h"
#include "batch/BatchLedger.h"
#include "batch/BatchManifest.h"
#include "model/Model.h"
#include "model/ModelCard.h"

namespace cli {

class BatchJob {
 public:
  explicit BatchJob(const Arguments& args);

  const Arguments& args() const { return args_; }
  const std::filesystem::path& outdir() const { return outdir_; }
  const sky::BatchSettings& settings() const { return settings_; }
  int threads() const { return threads_; }
  void setThreads(int threads) { threads_ = threads; }

  // Loads the model now when its card gives the input shape, so a bad model fails the run
  // before any input instead of every input one by one. Call after setThreads.
  void loadModelEarly();

  // Explains inputs[index]; failures of this input become a "failed" record, cancellation
  // (the flag) throws SkyError(Cancelled).
  sky::BatchRecord process(const sky::BatchInput& input, int rank, const std::atomic<bool>* cancel);

 private:
  sky::Model& modelFor(const sky::ImageShape& shape);
  std::vector<std::string> explainAndWrite(const sky::BatchInput& input, const std::atomic<bool>* cancel);

  Arguments args_;
  std::filesystem::path outdir_;
  std::string modelPath_, method_;
  sky::BatchSettings settings_;
  std::optional<sky::ModelCard> card_;
  std::unique_ptr<sky::Model> model_;
  int threads_ = 0;
  int nside_ = 0;  // 0: the input map's
};

// The inputs, and which of them this run does: those of its shard not done by an earlier run.
// Claims the output directory (batch.json) and prints a one-line plan.
struct BatchPlan {
  std::vector<sky::BatchInput> inputs;
  std::vector<size_t> pending;
  size_t alreadyDone = 0;
};
BatchPlan planBatch(const BatchJob& job, const std::string& inputSpec, const sky::Shard& shard);

// Explains inputs handed out by the ledger until none is left, recording each. Returns true
// when cancelled (the ledger then hands out nothing more); other errors propagate.
bool explainFromLedger(BatchJob& job, sky::BatchLedger& ledger, const std::vector<sky::BatchInput>& inputs, int rank,
                       const std::atomic<bool>* cancel);

// The options `batch` takes: explain's, plus its own.
Arguments parseBatchArguments(const std::vector<std::string>& argv);

// Whether this process was started by mpirun/srun as one of several ranks.
int launcherWorldSize();

#ifdef SKY_WITH_MPI
// Rank 0 plans and hands out inputs (and works on them too); every rank explains what it is
// given. Returns the exit code of this rank.
int runBatchWithMpi(BatchJob& job, const std::string& inputSpec, const std::atomic<bool>* cancel);
#endif

// What a finished run prints and returns: 0, 9 (cancelled) or 10 (some inputs failed).
int batchExitCode(const sky::BatchProgress& progress, bool cancelled, const std::filesystem::path& outdir);
// The line printed as each input finishes: "[ 3/16] key ok 0.61 s (rank 1), ETA 8 s".
void printBatchProgress(const sky::BatchRecord& record, const sky::BatchProgress& progress);

}  // namespace cli
