#!/usr/bin/env bash
# Installs what is missing (Debian 12), builds, and starts SkyInterpret on its demo.
# Until the desktop window lands, the demo is a command-line tour of the engine on bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset default
cmake --build --preset default -j "$(nproc)"

cli=build/app/cli/skyinterpret-cli
demo_map=resources/demo/demo_tqu_n16.fits
out=$(mktemp -d "${TMPDIR:-/tmp}/skyinterpret-demo.XXXXXX")
echo
echo "== SkyInterpret demo: outputs in $out"
set -x
"$cli" info "$demo_map"
"$cli" project "$demo_map" --xsize 128 --fields T,Q,U -o "$out/image.npy" --pixels-out "$out/pixels.npy"
"$cli" reproject "$out/image.npy" --nside 16 -o "$out/reprojected.fits"
"$cli" info "$out/reprojected.fits"
"$cli" spectrum "$demo_map" -o "$out/cl.csv"
set +x
head -5 "$out/cl.csv"
