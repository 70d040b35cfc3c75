#pragma once
// The CLI is two programs. skyinterpret-cli answers the commands that need no model (info,
// project, reproject, spectrum, theory, simulate, --help) without loading LibTorch, whose 295
// shared libraries take ~0.5 s to load; for the others it executes skyinterpret-cli-model, the
// same CLI linked with LibTorch, in its place (same process, arguments and environment).

namespace cli {

// Replaces this process with skyinterpret-cli-model run on `argv`. Returns only on failure,
// with the exit code after printing why (a missing helper means a broken installation).
int runInModelBackend(char** argv);

}  // namespace cli
