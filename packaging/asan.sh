#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer (any report fails the test) on the core unit
# tests and the CLI tests, which run the real skyinterpret-cli and skyinterpret-cli-model.
# LibTorch, Qt and OpenMPI are not instrumented; leak checking is off because they keep
# allocations until exit. The MPI, killed-run and interrupt tests time their steps, which the
# sanitizers' slowdown breaks: they run in the ordinary build.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset asan
cmake --build --preset asan -j "$(nproc)" --target sky_core_tests sky_cli_tests skyinterpret-cli sky_hostile_model_files \
  sky_sanitizer_probe
ctest --preset asan -j "$(nproc)" -L '^(core|cli|sanitizer)$' -E 'Mpi|Killed|Interrupt|Watchdog'
