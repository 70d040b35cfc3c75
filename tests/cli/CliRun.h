#pragma once
// Runs the real skyinterpret-cli binary (SKY_CLI_PATH) through a shell and captures what a user
// would see.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace skytest {

struct CliRun {
  int exitCode;
  std::string output;  // stdout and stderr together
};

// A shell command line, with stderr captured too.
inline CliRun runShell(const std::string& commandLine) {
  const std::string command = commandLine + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  CliRun run{-1, {}};
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) run.output.append(buf.data(), n);
  const int status = pclose(pipe);
  run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// `prefix` goes before the binary (an environment assignment, or mpirun and its flags).
inline CliRun cli(const std::string& args, const std::string& prefix = {}) {
  return runShell(prefix + (prefix.empty() ? "" : " ") + SKY_CLI_PATH + " " + args);
}

}  // namespace skytest
