#pragma once
// One function per sub-command of skyinterpret-cli; each returns the process exit code and
// throws sky::SkyError for bad input (main() prints it and exits with its code).
#include <filesystem>
#include <string>
#include <vector>

#include "sky/SkyMap.h"

namespace cli {

struct Command {
  const char* name;
  const char* summary;
  const char* usage;
  int (*run)(const std::vector<std::string>& args);
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

const std::vector<Command>& commands();

// The FITS maps of a dataset directory and their labels (from its manifest.csv).
struct LabelledMaps {
  std::vector<sky::SkyMap> maps;
  std::vector<int> labels;
};
LabelledMaps loadLabelledMaps(const std::filesystem::path& directory);

}  // namespace cli
