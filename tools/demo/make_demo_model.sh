#!/usr/bin/env bash
# Reproduces resources/demo/demo_model.pt (+ .json): simulate the demo skies, train the CNN.
# The demo skies and feature are defined in core/simulate/DemoSkies (simulate --demo).
# usage: tools/demo/make_demo_model.sh [BUILD_DIR]   (about 1 minute on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:-build}/app/cli/skyinterpret-cli
work=$(mktemp -d "${TMPDIR:-/tmp}/skyinterpret-demo-train.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$cli" simulate --demo --count 1000 --seed 100 --out "$work/train"
"$cli" train --data "$work/train" -o "$work/demo_model.pt" --arch cnn --widths 8,16,32 --dense 32 --dropout 0.3 \
  --epochs 30 --batch 32 --lr 0.001 --patience 6 --seed 1 --threads 2
cp "$work/demo_model.pt" "$work/demo_model.json" resources/demo/
echo "wrote resources/demo/demo_model.pt and demo_model.json"
