#!/usr/bin/env bash
# Experiment 8 (docs/EXPERIMENTS.md): last-layer retraining with class weights on a Gaussian mixture
# (prior 0.1 of class +1, separation 2, n = 200 training samples, ridge 1, erf features, 10000 test
# samples per class), the weight grid 0.1 .. 1e5 (37 log-spaced points), 20 seeds per point:
#   A: the readout's width P = 5 .. 200 at d = 20 (P / n = 0.025 .. 1), random and trained first layer;
#   B: the input dimension d = 5 .. 320 at P = 20 (d / n = 0.025 .. 1.6), random first layer.
# Then exp8_analysis.py: the table and the figure.
#   tools/experiments/exp8_retrain.sh [BUILD_DIR=build/host] [OUT_DIR=exp8]
# THREADS (default 1), SEEDS (default 20). Resumable: existing CSVs are kept.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp8}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
run() {  # first-layer d P
    local f="$out/$1_d$2_P$3.csv"
    [ -s "$f" ] || "$tool" retrain --first-layer "$1" --d "$2" --n 200 --P "$3" --prior 0.1 --separation 2 \
        --weights 0.1:100000:37 --ridge 1 --seeds "${SEEDS:-20}" --seed 1 --threads "${THREADS:-1}" --quiet \
        --out "$f" > "$f.summary"
    echo "$1, d = $2, P = $3: $(tail -1 "$f.summary")"
}
for P in 5 10 20 50 100 200; do
    run random 20 "$P"
    run trained 20 "$P"
done
for d in 5 10 40 80 160 320; do run random "$d" 20; done
/usr/bin/python3 "$here/exp8_analysis.py" "$out"
echo "exp8: CSVs, the table and $out/exp8_retrain.png in $out"
