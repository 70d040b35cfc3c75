#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds with warnings as errors, runs every test (ctest:
# the format and layering checks among them), clang-tidy over core/ and app/, the core and CLI
# tests under AddressSanitizer + UndefinedBehaviorSanitizer, and the threaded parts (the desktop
# app's jobs, batches) under ThreadSanitizer. Any failure fails the whole run.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci -j "$(nproc)"
tools/checks/tidy.sh build
packaging/asan.sh
packaging/tsan.sh
