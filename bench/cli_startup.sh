#!/usr/bin/env bash
# Wall time of CLI commands that need no model, which must not load LibTorch (ModelBackend.h),
# and of one that does, for comparison: the median of RUNS runs each.
# usage: bench/cli_startup.sh [BUILD_DIR] [RUNS]   (makes an nside-512 T/Q/U map on first use)
set -euo pipefail
build=${1:-build} runs=${2:-11}
cli=$build/app/cli/skyinterpret-cli
scratch=${TMPDIR:-/tmp}/sky-cli-startup
mkdir -p "$scratch"
if [[ ! -f $scratch/n512.fits ]]; then
  "$cli" simulate --nside 512 --count 1 --fields TQU --seed 1 --out "$scratch/sim" --force > /dev/null
  cp "$(ls "$scratch"/sim/*.fits | head -1)" "$scratch/n512.fits"
fi
median() {  # median wall seconds of "$@" over $runs runs
  local times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {printf "%.3f", a[int((NR + 1) / 2)]}'
}
printf '%-40s %s\n' "command" "median wall s"
printf '%-40s %s\n' "--version" "$(median "$cli" --version)"
printf '%-40s %s\n' "--help" "$(median "$cli" --help)"
printf '%-40s %s\n' "explain --help" "$(median "$cli" explain --help)"
printf '%-40s %s\n' "info (nside 512, T/Q/U)" "$(median "$cli" info "$scratch/n512.fits")"
printf '%-40s %s\n' "project --xsize 256 (nside 512)" "$(median "$cli" project "$scratch/n512.fits" --xsize 256 -o "$scratch/x.npy" --force)"
printf '%-40s %s\n' "spectrum --lmax 64 (nside 512)" "$(median "$cli" spectrum "$scratch/n512.fits" --lmax 64 --iter 0 -o "$scratch/cl.csv" --force)"
printf '%-40s %s\n' "evaluate (loads LibTorch; bad data dir)" "$(median "$cli" evaluate --model /nonexistent.pt --data /nonexistent)"
