#!/usr/bin/env bash
# Experiment 10 (docs/EXPERIMENTS.md): the width needed to fit n random +-1 labels of Gaussian points in
# d = 8 dimensions (ReLU, no biases, standard initialization, both layers trained by full-batch GD on
# the mean squared loss at lr 1, second layer lr / m), to training loss below 1e-3 within 250 n steps
# (the mean loss's rates fall like 1/n, so the budget grows with n); widths on a grid of ratio
# sqrt 2 from 2 to 256; n = 8 .. 256; 4 restarts per n (each its own data). Then exp10_analysis.py:
# the log-log fit of the width needed against n.
#   tools/experiments/exp10_subquadratic.sh [BUILD_DIR=build/host] [OUT_DIR=exp10]
# THREADS (default 1), RESTARTS (default 4). Resumable: existing CSVs are kept.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp10}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
for n in 8 16 32 64 128 256; do
    f="$out/subquadratic_d8_n$n.csv"
    [ -s "$f" ] || "$tool" width --subquadratic --ns "$n" --d 8 \
        --widths 2,3,4,6,8,11,16,23,32,45,64,91,128,181,256 --lr 1 --steps $((250 * n)) \
        --threshold 1e-3 --restarts "${RESTARTS:-4}" --seed 1 --threads "${THREADS:-1}" --quiet --out "$f" > "$f.summary"
    echo "n = $n: $(tail -1 "$f.summary")"
done
/usr/bin/python3 "$here/exp10_analysis.py" "$out"
echo "exp10: the CSVs, the fit and $out/exp10_subquadratic.png in $out"
