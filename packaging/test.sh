#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds with warnings as errors, runs every test (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)"
