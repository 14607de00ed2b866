#!/usr/bin/env bash
# Experiment 2 (docs/EXPERIMENTS.md): erf students learning from a noisy erf teacher, first layer
# only (v = v* = 1), K = M = 2 and K = 3 > M = 2. For each learning rate eta and noise sigma, online
# SGD at N = 500 (3 chains, float) and the ODE from the same initial weights run long enough to
# settle; then the asymptotic error against eta sigma^2, the small-eta formula and the figure.
#   tools/experiments/exp2_noise.sh [BUILD_DIR=build/host] [OUT_DIR=exp2]
# THREADS (default 0 = all cores) sets train's --threads. 7 minutes on this 2-core machine.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp2}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
common=(--N 500 --act erf --init-scale 0.5 --seed 2 --reports 2000 --chains 3)
for km in "2 2" "3 2"; do
    set -- $km
    for lr in 0.05 0.1 0.2 0.5 1; do
        # Long enough that the second half of the run is stationary: the escape from the plateau
        # takes t ~ 150 / eta here, the approach to the noise floor (K = 3) up to t ~ 3000.
        tmax=$(/usr/bin/python3 -c "print(max(1000 / $lr, 4000))")
        for sigma in 0.1 0.3 1; do
            name=K$1_M$2_lr${lr}_s${sigma}
            args=("${common[@]}" --P "$1" --P-star "$2" --lr "$lr" --noise "$sigma" --t-max "$tmax")
            [ -s "$out/$name.train.csv" ] ||
                "$tool" train "${args[@]}" --format float --threads "${THREADS:-0}" --quiet --out "$out/$name.train.csv"
            [ -s "$out/$name.ode.csv" ] || "$tool" ode "${args[@]}" --out "$out/$name.ode.csv"
        done
    done
done
/usr/bin/python3 "$here/exp2_analysis.py" "$tool" "$out"
echo "exp2: CSVs, the table and $out/exp2_noise.png in $out"
