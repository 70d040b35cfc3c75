#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds with warnings as errors, runs every test (ctest),
# then runs the threaded parts (the desktop app's jobs, batches) under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)"
packaging/tsan.sh
