#!/usr/bin/env bash
# Experiment 10 (docs/EXPERIMENTS.md): the width needed to fit n random +-1 labels of Gaussian points in
# d = 4 dimensions (ReLU, standard initialization, both layers trained by full-batch GD at lr 0.5,
# second layer lr / m), to training loss below 1e-3 within 5000 steps; widths on a grid of ratio
# sqrt 2 from 2 to 1024; n = 8 .. 256; 5 restarts per n (each its own data). Then
# exp10_analysis.py: the log-log fit of the width needed against n.
#   tools/experiments/exp10_subquadratic.sh [BUILD_DIR=build/host] [OUT_DIR=exp10]
# THREADS (default 1), RESTARTS (default 5). Resumable: an existing CSV is kept.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp10}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
f="$out/subquadratic_d4.csv"
[ -s "$f" ] || "$tool" width --subquadratic --ns 8,16,32,64,128,256 --d 4 \
    --widths 2,3,4,6,8,11,16,23,32,45,64,91,128,181,256,362,512,724,1024 --lr 0.5 --steps 5000 \
    --threshold 1e-3 --restarts "${RESTARTS:-5}" --seed 1 --threads "${THREADS:-1}" --quiet --out "$f" > "$f.summary"
/usr/bin/python3 "$here/exp10_analysis.py" "$out"
echo "exp10: the CSV, the fit and $out/exp10_subquadratic.png in $out"
