// skyinterpret-cli batch: explain many maps or images, one result per input plus a manifest,
// resuming where an earlier run stopped; alone, as one of N scheduler array tasks (--shard), or
// spread over MPI ranks.
#include <omp.h>

#include <cstdio>

#include "BatchJob.h"
#include "Commands.h"
#include "Interrupt.h"
#include "util/Error.h"

namespace cli {

using sky::ErrorKind;
using sky::SkyError;

int runBatch(const std::vector<std::string>& argv) {
  const Arguments args = parseBatchArguments(argv);
  const std::string inputSpec = args.require("inputs");
  const std::atomic<bool>* cancel = installInterruptHandler();
  BatchJob job(args);
  if (const int world = launcherWorldSize(); world > 1 && !args.has("shard")) {
#ifdef SKY_WITH_MPI
    return runBatchWithMpi(job, inputSpec, cancel);
#else
    throw SkyError(ErrorKind::Usage,
                   "started as one of " + std::to_string(world) +
                       " MPI ranks, but this skyinterpret-cli was built without MPI, so every rank would "
                       "do every input: build with -DSKY_WITH_MPI=ON, or give each rank --shard RANK/" +
                       std::to_string(world));
#endif
  }
  const sky::Shard shard = args.has("shard") ? sky::Shard::parse(*args.get("shard")) : sky::Shard{};
  if (job.threads() > 0) omp_set_num_threads(job.threads());
  const BatchPlan plan = planBatch(job, inputSpec, shard);
  if (!plan.pending.empty()) job.loadModelEarly();
  // Shards may share a directory on a cluster file system: each appends to its own manifest.
  const std::string manifestName = shard.count > 1 ? "manifest.shard-" + std::to_string(shard.index) + "-of-" +
                                                         std::to_string(shard.count) + ".jsonl"
                                                   : "manifest.jsonl";
  sky::ManifestAppender manifest(job.outdir() / manifestName);
  sky::BatchLedger ledger(plan.pending, manifest, printBatchProgress);
  const bool cancelled = explainFromLedger(job, ledger, plan.inputs, shard.index, cancel);
  return batchExitCode(ledger.progress(), cancelled, job.outdir());
}

}  // namespace cli
