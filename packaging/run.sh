#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds, and starts SkyInterpret on its demo.
# Without a display (no $DISPLAY / $WAYLAND_DISPLAY) it runs a command-line tour instead.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset default
cmake --build --preset default -j "$(nproc)"

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  exec build/app/gui/skyinterpret --demo "$@"
fi
echo "no display found: running the command-line tour instead of the desktop window"
cli=build/app/cli/skyinterpret-cli
model=resources/demo/demo_model.pt
out=$(mktemp -d "${TMPDIR:-/tmp}/skyinterpret-demo.XXXXXX")
echo
echo "== SkyInterpret demo (command-line tour); outputs in $out"
set -x
"$cli" theory --feature --lmax 2000 -o "$out/theory_feature.csv"
"$cli" simulate --demo --count 2 --seed 2026 --format both --out "$out/skies"
"$cli" info "$out/skies/sim_000001_feature.fits"
"$cli" evaluate --model "$model" --data "$out/skies"
"$cli" explain --model "$model" --input "$out/skies/sim_000001_feature.npy" --method partition --max-evals 2000 \
  -o "$out/shap.npy" --healpix-out "$out/shap.fits" --nside 32
"$cli" explain --model "$model" --input "$out/skies/sim_000001_feature.npy" --method integrated-gradients \
  -o "$out/ig.npy"
"$cli" spectrum "$out/shap.fits" -o "$out/shap_cl.csv"
set +x
echo "attributions: $out/shap.npy (+ .json) and on the sphere: $out/shap.fits"
