#!/usr/bin/env bash
# Experiment 1 (docs/EXPERIMENTS.md): erf students against erf teachers, K = M = 2, K = M = 3 and
# K = 4 > M = 2, online SGD at N = 1000 (5 chains, float) against the ODE from the same initial
# weights, with and without its eta^2 term; then the plateau analysis and the figure.
#   tools/experiments/exp1_erf_plateau.sh [BUILD_DIR=build/host] [OUT_DIR=exp1]
# The analysis solves the symmetric fixed points with SciPy: tools/setup-deps.sh --experiments.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp1}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
common=(--N 1000 --act erf --lr 1 --init-scale 0.1 --seed 1 --t-max 400 --reports 60 --chains 5)
for km in "2 2" "3 3" "4 2"; do
    set -- $km
    name=K$1_M$2
    "$tool" train "${common[@]}" --P "$1" --P-star "$2" --format float --threads "${THREADS:-0}" --quiet \
        --save-order "$out/$name.order" --out "$out/$name.train.csv"
    "$tool" ode "${common[@]}" --P "$1" --P-star "$2" --out "$out/$name.ode.csv"
    "$tool" ode "${common[@]}" --P "$1" --P-star "$2" --drift-only --out "$out/$name.drift.csv"
done
/usr/bin/python3 "$here/exp1_analysis.py" "$tool" "$out"
echo "exp1: CSVs, the table and $out/exp1_erf_plateau.png in $out"
