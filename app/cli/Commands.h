#pragma once
// One function per sub-command of skyinterpret-cli; each returns the process exit code and
// throws sky::SkyError for bad input (main() prints it and exits with its code).
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "Arguments.h"
#include "explain/Attribution.h"
#include "jobs/Progress.h"
#include "model/ImageBatch.h"
#include "model/Model.h"
#include "sky/SkyMap.h"

namespace cli {

struct Command {
  const char* name;
  std::string summary;
  std::string usage;
  int (*run)(const std::vector<std::string>& args);  // null: runs in skyinterpret-cli-model (ModelBackend.h)
};

int runInfo(const std::vector<std::string>& args);
int runProject(const std::vector<std::string>& args);
int runReproject(const std::vector<std::string>& args);
int runSpectrum(const std::vector<std::string>& args);
int runExplain(const std::vector<std::string>& args);
int runTheory(const std::vector<std::string>& args);
int runSimulate(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runEvaluate(const std::vector<std::string>& args);
int runAblate(const std::vector<std::string>& args);
int runSensitivity(const std::vector<std::string>& args);
int runFaithfulness(const std::vector<std::string>& args);
int runMetrics(const std::vector<std::string>& args);
int runSanity(const std::vector<std::string>& args);
int runAggregate(const std::vector<std::string>& args);
int runBatch(const std::vector<std::string>& args);

const std::vector<Command>& commands();

// The explainer named `method` (explain/ExplainerRegistry.h), with its options read from args
// (shared by explain, aggregate and batch).
sky::Attribution explainWithArguments(const Arguments& args, const std::string& method, sky::Model& model,
                                      const sky::ImageBatch& batch, sky::Progress& progress);

// The FITS maps of a dataset directory and their labels (from its manifest.csv).
struct LabelledMaps {
  std::vector<sky::SkyMap> maps;
  std::vector<int> labels;
  std::vector<std::map<std::string, double>> parameters;  // the manifest's, per map
};
LabelledMaps loadLabelledMaps(const std::filesystem::path& directory);

}  // namespace cli
