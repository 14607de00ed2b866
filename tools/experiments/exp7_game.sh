#!/usr/bin/env bash
# Experiment 7 (docs/EXPERIMENTS.md): the hidden convex-concave game between two two-layer erf
# players, L = 0.5 |u|^2 - 0.5 |v|^2 + u^T B v on M fixed inputs in N = 10 dimensions. For both
# players of the same width P in 2 .. 128, alternating and simultaneous GDA, 10 seeds, 10000 steps at
# lr 0.1 (second layer lr / P), init-scale 1 (preactivations O(1)), M = 20 and M = 60 inputs;
# alternating GDA at init-scale 3 (saturated units: the readout regime) for M = 20; and the bilinear
# game L = u^T B v (P = 8, 32, 128, M = 20), where simultaneous GDA spirals out. Then
# exp7_analysis.py: the table and the figure.
#   tools/experiments/exp7_game.sh [BUILD_DIR=build/host] [OUT_DIR=exp7]
# THREADS (default 1), SEEDS (default 10), STEPS (default 10000). Resumable: existing CSVs are kept.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp7}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
run() {  # M mode init P [game]
    local game=${5:-hidden} f="$out/M$1_$2_init$3_P$4.csv"
    [ "$game" = hidden ] || f="$out/${game}_M$1_$2_init$3_P$4.csv"
    [ -s "$f" ] || "$tool" game --game "$game" --P-min "$4" --P-max "$4" --N 10 --inputs "$1" --mode "$2" \
        --lr-min 0.1 --lr-max 0.1 --init-scale "$3" --steps "${STEPS:-10000}" --every 100 \
        --seeds "${SEEDS:-10}" --seed 1 --threads "${THREADS:-1}" --quiet --out "$f" > "$f.summary" 2>&1 || true
    echo "$game, M = $1, $2, init $3, P = $4: $(tail -1 "$f.summary")"
}
for M in 20 60; do
    for mode in alternating simultaneous; do
        for P in 2 4 8 16 32 64 128; do run "$M" "$mode" 1 "$P"; done
    done
done
for P in 2 4 8 16 32 64 128; do run 20 alternating 3 "$P"; done
for mode in alternating simultaneous; do
    for P in 8 32 128; do run 20 "$mode" 1 "$P" bilinear; done
done
/usr/bin/python3 "$here/exp7_analysis.py" "$out"
echo "exp7: CSVs, the table and $out/exp7_game.png in $out"
