#!/usr/bin/env bash
# Experiment 9 (docs/EXPERIMENTS.md): weight decay and width on orthogonal data. n = 4, 6, 8, 10 points
# x_i = sqrt(n) e_i with labels +1, -1 alternating, ReLU, lambda = 0.02 on both layers, full-batch GD at
# lr 0.1 for 30000 steps (lr lambda steps = 60), widths 2 .. 256, 16 restarts per width; small
# (0.01) and larger (0.25) initialization; and init-scale 1 at lr 0.01 for 150000 steps (n = 4, 6, 8). The fraction of runs whose final penalized loss is within
# 1e-3 (relative) of the closed-form global minimum (docs/TOOL.md, "width"). Then exp9_analysis.py.
#   tools/experiments/exp9_width.sh [BUILD_DIR=build/host] [OUT_DIR=exp9]
# THREADS (default 1), RESTARTS (default 16). Resumable: existing CSVs are kept.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp9}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
run() {  # n init lr steps
    local f="$out/n$1_init$2.csv"
    [ -s "$f" ] || "$tool" width --n "$1" --lambda 0.02 --widths 2,4,8,16,32,64,128,256 --init-scale "$2" \
        --lr "$3" --steps "$4" --restarts "${RESTARTS:-16}" --seed 1 --threads "${THREADS:-1}" --quiet \
        --out "$f" > "$f.summary"
    echo "n = $1, init $2: done"
}
for init in 0.01 0.25; do
    for n in 4 6 8 10; do run "$n" "$init" 0.1 30000; done
done
# init-scale 1 (the lazy end): lr 0.01 keeps lr m init^2 / n below 1 at m = 256, and 150000 steps keep
# lr lambda steps = 30
for n in 4 6 8; do run "$n" 1 0.01 150000; done
/usr/bin/python3 "$here/exp9_analysis.py" "$out"
echo "exp9: CSVs, the table and $out/exp9_width.png in $out"
