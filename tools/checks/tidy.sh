#!/usr/bin/env bash
# clang-tidy with the project's check set (.clang-tidy; every warning is an error) over the
# engine and the programs: core/ and app/. Left to the compiler's warnings: ui/ (its Qt and VTK
# headers cost 5-10 s more per file) and the three LibTorch files, whose headers clang 14 cannot
# parse in C++20 mode with libstdc++ 12 (c10::IValue is incomplete where std::vector needs it).
# usage: tools/checks/tidy.sh [BUILD_DIR]   (a configured build with compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
[[ -f $build/compile_commands.json ]] || { echo "no $build/compile_commands.json: configure first"; exit 2; }
command -v run-clang-tidy > /dev/null || { echo "run-clang-tidy is not installed (packaging/install-deps.sh)"; exit 2; }
root=$(pwd)
# run-clang-tidy prints each file's command line and its findings; keep the findings.
run-clang-tidy -quiet -p "$build" -j "$(nproc)" "^$root/(core|app)/(?!model/TorchScriptModel|model/TorchTraining|model/ModelRandomisation).*\.cpp$" > "$build/tidy.log" 2>&1 && status=0 || status=$?
sed -E 's/\x1b\[[0-9;]*m//g' "$build/tidy.log" | grep -E "(warning|error): " | sort -u || true
if ((status != 0)); then echo "clang-tidy found problems (full log: $build/tidy.log)"; exit 1; fi
echo "tidy ok: core/ and app/"
