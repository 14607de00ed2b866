#!/usr/bin/env bash
# Experiment 5 (docs/EXPERIMENTS.md): BBP at initialization. Quadratic units, teacher P* = 1 (row on
# the sphere |w*|^2 = N, v* = 1), students of P = 1, 2, 4 rows on the sphere with v = 1/P, M = alpha N
# Gaussian samples, squared loss; `twolayer hessian` gives the smallest and largest eigenpairs of
# the empirical Hessian over W at initialization and the overlap of their eigenvectors with the
# teacher direction; alpha from 0.5 to 12 (12 points), N = 100, 200, 400, SEEDS seeds per point;
# then exp5_analysis.py: the table and the figure.
#   tools/experiments/exp5_bbp.sh [BUILD_DIR=build/host] [OUT_DIR=exp5]
# THREADS (default 0 = all cores), SEEDS (default 8).
set -euo pipefail
build=${1:-build/host}
out=${2:-exp5}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
for N in 100 200 400; do
    for P in 1 2 4; do
        f="$out/N${N}_P${P}.csv"
        [ -s "$f" ] || "$tool" hessian --act quadratic --N "$N" --P "$P" --P-star 1 --second-layer inv_p \
            --scan-alpha 0.5:12:12 --seeds "${SEEDS:-8}" --k 1 --lanczos-steps 150 --seed 5 \
            --threads "${THREADS:-0}" --quiet --out "$f" 2> "$f.summary"
        echo "N = $N, P = $P: done"
    done
done
/usr/bin/python3 "$here/exp5_analysis.py" "$out"
echo "exp5: CSVs, the table and $out/exp5_bbp.png in $out"
