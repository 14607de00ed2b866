#!/usr/bin/env bash
# Experiment 4 (docs/EXPERIMENTS.md): ReLU students against a ReLU teacher of n orthonormal units
# (v = v* = 1 fixed), exact population gradient descent (`twolayer population`), k = n and
# k = n + 1 student units, n = 6, 8, ..., 20, 200 restarts each (N(0, 1) entries: the Xavier scale;
# lr 0.25; at most 40000 steps); then exp4_analysis.py: the fraction of restarts ending at a
# spurious minimum against n for both widths, and the figure.
#   tools/experiments/exp4_relu_population.sh [BUILD_DIR=build/host] [OUT_DIR=exp4]
# THREADS (default 0 = all cores), RESTARTS (default 200).
set -euo pipefail
build=${1:-build/host}
out=${2:-exp4}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
for n in 6 8 10 12 14 16 18 20; do
    for k in "$n" "$((n + 1))"; do
        f="$out/n${n}_k${k}.csv"
        [ -s "$f" ] || "$tool" population --act relu --P-star "$n" --P "$k" --restarts "${RESTARTS:-200}" \
            --lr 0.25 --steps 40000 --seed 4 --threads "${THREADS:-0}" --quiet --out "$f" > "$f.fractions"
        echo "n = $n, k = $k: $(cat "$f.fractions")"
    done
done
/usr/bin/python3 "$here/exp4_analysis.py" "$out"
echo "exp4: CSVs, the table and $out/exp4_relu_population.png in $out"
