#!/usr/bin/env bash
# ThreadSanitizer on the UI suites (jobs on worker threads, queued results, cancellation) and
# the batch tests of one process and of shards (the MPI and killed-run cases are timing tests
# that TSan's slowdown breaks; they run in the ordinary build). Suppressions for races inside
# Debian's uninstrumented Qt, GLib, OpenMPI and LibTorch: tests/tsan.supp.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset tsan
cmake --build --preset tsan -j "$(nproc)" --target sky_ui_tests sky_ui_export_tests sky_ui_collection_tests \
  sky_cli_tests skyinterpret-cli sky_hostile_model_files sky_sanitizer_probe
ctest --preset tsan -j "$(nproc)" \
  -R '^ui\.(main_window|export_and_sessions|batch_collection)$|^BatchCli\.(ExplainsEvery|AFailedInput|Shards|BadArguments)|^sanitizer\.'
