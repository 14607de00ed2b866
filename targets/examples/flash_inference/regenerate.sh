#!/bin/sh
# Regenerates the network of the flash-inference example (docs/DEPLOY.md, "From the host to flash"):
#   1. trains it on the host with `twolayer train` (N = 32 inputs, P = 8 erf units, both layers,
#      float, a teacher of 4 units) and keeps its W.npy and v.npy in weights/;
#   2. exports weights/ with `twolayer export` into flash_demo_net.hpp, the header the firmware
#      includes (committed: the cross builds cannot run the host tool).
# Step 2 alone (--export-only) is what the host ctest flash_inference_header repeats, in a
# temporary directory, to fail when the committed header no longer matches the committed weights.
# Step 1 runs the tool's kernels, built for the machine it runs on (docs/TOOL.md): another machine
# may train slightly different weights, which is why the weights are committed too.
# usage: regenerate.sh PATH_TO_TWOLAYER [--export-only]
set -e
tool=$(realpath "${1:?usage: regenerate.sh PATH_TO_TWOLAYER [--export-only]}")
cd "$(dirname "$0")"
if [ "$2" != "--export-only" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    "$tool" train --N 32 --P 8 --P-star 4 --act erf --format float --train-v true --init-scale 1 \
        --second-layer inv_sqrt_p --lr 0.5 --t-max 200 --reports 10 --seed 7 --threads 1 --quiet \
        --save-weights "$work" --out "$work/train.csv"
    tail -n 1 "$work/train.csv"
    cp "$work/chain_0/W.npy" "$work/chain_0/v.npy" weights/
fi
"$tool" export --weights weights --format float --activation erf --name flash_demo --out flash_demo_net.hpp
