#!/usr/bin/env bash
# Experiment 3 (docs/EXPERIMENTS.md): quadratic students (P in {1, 2, 4, 8}) against a quadratic
# teacher with P* = 2, first layer only, v = v* = 1, eta = 0.05 (at eta = 0.1 SGD with P = 1
# diverges within t = 1000 at N = 1000 in every chain, from the heavy tails of its gradient).
#   A. learning curves: online SGD at N = 1000 (3 chains, float) against the ODE from the same
#      starts, with and without its eta^2 term, to t = 1000; the ODE alone to t = 10^4 for the
#      late-time decay;
#   B. escape from the initial plateau against the init scale and P (ODE, 3 starts each; SGD beside);
#   C. the conserved polar factor of R: from exactly isotropic weights (T = I, Q_perp ~ I); from
#      train's random draws at N = 250 ... 10^4 (10 starts each), where it holds up to the finite-N
#      anisotropy; SGD at N = 1000 from init-scale 0.3 at eta = 0.05, 0.01, 0.002 (t-max 10 / eta);
# then exp3_analysis.py prints the tables and draws exp3_quadratic.png.
#   tools/experiments/exp3_quadratic.sh [BUILD_DIR=build/host] [OUT_DIR=exp3]
# THREADS (default 0 = all cores) sets train's --threads.
set -euo pipefail
build=${1:-build/host}
out=${2:-exp3}
tool=$build/twolayer
here=$(dirname "$0")
mkdir -p "$out"
q=(--act quadratic --P-star 2 --lr 0.05 --seed 3 --chains 3)
train() { "$tool" train "$@" --format float --threads "${THREADS:-0}" --quiet; }
for P in 1 2 4 8; do                                                    # A
    a=("${q[@]}" --N 1000 --P "$P" --init-scale 0.01)
    train "${a[@]}" --t-max 1000 --reports 200 --save-order "$out/A_P$P.order" --out "$out/A_P$P.train.csv"
    "$tool" ode "${a[@]}" --t-max 1000 --reports 200 --order --out "$out/A_P$P.ode.csv"
    "$tool" ode "${a[@]}" --t-max 1000 --reports 200 --drift-only --out "$out/A_P$P.drift.csv"
    "$tool" ode "${a[@]}" --t-max 10000 --reports 400 --out "$out/A_P$P.long.csv"
done
for P in 2 3 4 8; do                                                    # B
    for init in 0.1 0.03 0.01 0.003 0.001 0.0001; do
        b=("${q[@]}" --N 1000 --P "$P" --init-scale "$init" --reports 300)
        "$tool" ode "${b[@]}" --t-max 300 --out "$out/B_P${P}_init$init.ode.csv"
        train "${b[@]}" --t-max 150 --out "$out/B_P${P}_init$init.train.csv"
    done
done
for N in 250 1000 4000 10000; do                                       # C
    "$tool" ode "${q[@]:0:6}" --chains 10 --N "$N" --P 4 --init-scale 0.01 --t-max 300 --reports 100 --order \
        --out "$out/C_N$N.ode.csv"
done
for lr in 0.05 0.01 0.002; do
    c=(--act quadratic --P-star 2 --seed 3 --chains 3 --N 1000 --P 4 --init-scale 0.3 --lr "$lr" --reports 60
       --t-max "$(/usr/bin/python3 -c "print(10 / $lr)")")
    train "${c[@]}" --save-order "$out/C_lr$lr.order" --out "$out/C_lr$lr.train.csv"
    "$tool" ode "${c[@]}" --order --out "$out/C_lr$lr.ode.csv"
done
/usr/bin/python3 "$here/exp3_analysis.py" "$tool" "$out"
echo "exp3: CSVs, the tables and $out/exp3_quadratic.png in $out"
