// `batch` under mpirun/srun: rank 0 plans the batch, then hands out one input at a time to
// whichever rank asks (a dynamic queue: fast and slow inputs balance themselves) and writes the
// one manifest; every rank, rank 0 included, explains what it is given with its own threads.
// A rank that dies loses only the input it held: the manifest has every finished one.
#include <mpi.h>
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "BatchJob.h"
#include "util/Error.h"

namespace cli {
namespace {

using sky::ErrorKind;
using sky::SkyError;

constexpr int kRequestTag = 1;  // worker -> rank 0: "" (first), a finished record, or kLeaving
constexpr int kAssignTag = 2;   // rank 0 -> worker: an input index, or kNoMoreWork
constexpr int kNoMoreWork = -1;
const std::string kLeaving = "!leaving";

// OpenMPI's blocking receives poll at full speed; with one core per rank that would take the
// core from the ranks still working. Waiting with a short sleep costs nothing measurable.
MPI_Status waitForMessage(int source, int tag) {
  MPI_Status status;
  int arrived = 0;
  while (true) {
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &arrived, &status);
    if (arrived) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void quietBarrier() {
  MPI_Request request;
  MPI_Ibarrier(MPI_COMM_WORLD, &request);
  int done = 0;
  while (!done) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

void sendText(const std::string& text, int destination, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, destination, tag, MPI_COMM_WORLD);
}

std::string receiveText(const MPI_Status& probed) {
  int length = 0;
  MPI_Get_count(&probed, MPI_CHAR, &length);
  std::string text(static_cast<size_t>(length), '\0');
  MPI_Recv(text.data(), length, MPI_CHAR, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

void broadcastText(std::string& text) {
  long long length = static_cast<long long>(text.size());
  MPI_Bcast(&length, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
  text.resize(static_cast<size_t>(length));
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
}

// The plan as rank 0 sends it: "ok" and one "key\tpath" line per input, or "error CODE message".
std::string encodeInputs(const std::vector<sky::BatchInput>& inputs) {
  std::string text = "ok\n";
  for (const auto& in : inputs) text += in.key + "\t" + in.path.string() + "\n";
  return text;
}

std::vector<sky::BatchInput> decodeInputs(const std::string& text) {
  std::vector<sky::BatchInput> inputs;
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // "ok"
  while (std::getline(lines, line)) {
    const auto tab = line.find('\t');
    inputs.push_back({line.substr(tab + 1), line.substr(0, tab)});
  }
  return inputs;
}

// Threads per rank: --threads, else the cores of this node shared among its ranks.
int threadsPerRank(int requested) {
  if (requested > 0) return requested;
  int local = 1;
  for (const char* name : {"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"}) {
    if (const char* v = std::getenv(name)) {
      local = std::max(1, std::atoi(v));
      break;
    }
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / local);
}

// Rank 0's second thread: answers the other ranks until each has been told there is no more.
void serveWorkers(sky::BatchLedger& ledger, int workers, const std::atomic<bool>* cancel) try {
  int active = workers;
  while (active > 0) {
    const MPI_Status probed = waitForMessage(MPI_ANY_SOURCE, kRequestTag);
    const std::string text = receiveText(probed);
    if (text == kLeaving) {
      --active;
      continue;
    }
    if (!text.empty()) ledger.finish(sky::recordFromJsonLine(text));
    if (cancel->load()) ledger.stopHandingOut();
    const auto next = ledger.next();
    int index = next ? static_cast<int>(*next) : kNoMoreWork;
    MPI_Send(&index, 1, MPI_INT, probed.MPI_SOURCE, kAssignTag, MPI_COMM_WORLD);
    if (!next) --active;
  }
} catch (const std::exception& e) {
  // The manifest cannot be written: stop every rank rather than explain into the void.
  std::fprintf(stderr, "error (rank 0): %s\n", e.what());
  MPI_Abort(MPI_COMM_WORLD, static_cast<int>(ErrorKind::OutputUnwritable));
}

// Ranks other than 0: ask, explain, report with the next request, until told to stop.
int workOnAssignments(BatchJob& job, const std::vector<sky::BatchInput>& inputs, int rank,
                      const std::atomic<bool>* cancel) {
  std::string finished;
  while (true) {
    sendText(finished, 0, kRequestTag);
    waitForMessage(0, kAssignTag);
    int index = kNoMoreWork;
    MPI_Recv(&index, 1, MPI_INT, 0, kAssignTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (index == kNoMoreWork) return 0;
    try {
      finished = sky::toJsonLine(job.process(inputs[static_cast<size_t>(index)], rank, cancel));
    } catch (const SkyError& e) {
      sendText(kLeaving, 0, kRequestTag);
      if (e.kind() != ErrorKind::Cancelled) std::fprintf(stderr, "error (rank %d): %s\n", rank, e.what());
      return e.exitCode();
    }
  }
}

}  // namespace

int runBatchWithMpi(BatchJob& job, const std::string& inputSpec, const std::atomic<bool>* cancel) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  job.setThreads(threadsPerRank(job.threads()));
  omp_set_num_threads(job.threads());

  // Rank 0 plans (reads the manifest, claims the directory) and tells the others the inputs.
  std::string planText;
  std::optional<BatchPlan> plan;
  std::optional<SkyError> planError;
  if (rank == 0) {
    try {
      plan = planBatch(job, inputSpec, sky::Shard{});
      if (!plan->pending.empty()) job.loadModelEarly();
      planText = encodeInputs(plan->inputs);
      std::fprintf(stderr, "batch: %d ranks x %d threads\n", size, job.threads());
    } catch (const SkyError& e) {
      planError = e;
      planText = "error";
    }
  }
  broadcastText(planText);
  if (planText == "error") {
    MPI_Finalize();
    if (planError) throw *planError;
    return 1;  // rank 0 reports it
  }

  int code = 0;
  if (rank != 0) {
    code = workOnAssignments(job, decodeInputs(planText), rank, cancel);
  } else {
    sky::ManifestAppender manifest(job.outdir() / "manifest.jsonl");
    sky::BatchLedger ledger(plan->pending, manifest, printBatchProgress);
    bool cancelled = false;
    // Rank 0 works too when its MPI allows a second thread to serve the others meanwhile.
    const bool serveFromThread = provided >= MPI_THREAD_SERIALIZED;
    std::thread server;
    if (serveFromThread)
      server = std::thread([&] { serveWorkers(ledger, size - 1, cancel); });
    else
      serveWorkers(ledger, size - 1, cancel);
    if (serveFromThread) {
      try {
        cancelled = explainFromLedger(job, ledger, plan->inputs, 0, cancel);
      } catch (const SkyError& e) {
        std::fprintf(stderr, "error (rank 0): %s\n", e.what());
        MPI_Abort(MPI_COMM_WORLD, e.exitCode());
      }
    }
    if (server.joinable()) server.join();
    code = batchExitCode(ledger.progress(), cancelled || cancel->load(), job.outdir());
  }
  quietBarrier();
  MPI_Finalize();
  return code;
}

}  // namespace cli
