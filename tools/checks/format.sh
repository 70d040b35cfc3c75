#!/usr/bin/env bash
# Fails, listing them, when C++ files differ from the layout .clang-format describes.
# usage: tools/checks/format.sh [FILE...]   (default: every tracked .cpp and .h except the
# planted violations the checks' own tests use)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format > /dev/null || { echo "clang-format is not installed (packaging/install-deps.sh)"; exit 2; }
if (($#)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files '*.cpp' '*.h' | grep -vE '^tests/(layering/violations|checks)/')
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" > /dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  printf 'not formatted as .clang-format says (fix with clang-format -i FILE): %s\n' "${bad[@]}"
  exit 1
fi
echo "format ok: ${#files[@]} files"
