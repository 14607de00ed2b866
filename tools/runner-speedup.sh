#!/usr/bin/env bash
# The job runner's speed-up on this machine (a benchmark, not a test): runner_probe's CPU-bound
# synthetic jobs (integer hashing, no memory traffic) on 1 thread, 2 threads and, in a build with
# MPI, 2 ranks of 1 thread; each REPS times, alternating, the best (least) wall time of each kept
# (other load only ever slows a run down). Checks that the outputs are byte-identical.
#   tools/runner-speedup.sh [BUILD_DIR=build/host] [REPS=5] [JOBS=32] [WORK=5000000]
set -euo pipefail
build=${1:-build/host}
reps=${2:-5}
jobs=${3:-32}
work=${4:-5000000}
probe=$build/tests/tool/runner/runner_probe
[ -x "$probe" ] || { echo "runner-speedup: build $probe first (ninja -C $build runner_probe)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1

# one run: prints its wall time in seconds (run_jobs only, measured by the probe)
run() {
    local name=$1; shift
    "$@" --jobs "$jobs" --work "$work" --time >"$tmp/$name.csv" 2>"$tmp/$name.err"
    sed -n 's/^runner_probe: .* jobs in \([0-9.]*\) s$/\1/p' "$tmp/$name.err"
}

cases=("t1:$probe --threads 1" "t2:$probe --threads 2")
if "$probe" --jobs 0 >/dev/null 2>&1 && command -v mpirun >/dev/null && grep -q "TWOLAYER_WITH_MPI:BOOL=ON" "$build/CMakeCache.txt"; then
    cases+=("r2:mpirun -n 2 $probe --threads 1")
fi
declare -A best
for ((i = 0; i < reps; ++i)); do
    for c in "${cases[@]}"; do
        name=${c%%:*}
        s=$(run "$name" ${c#*:})
        if [ -z "${best[$name]:-}" ] || awk "BEGIN{exit !($s < ${best[$name]})}"; then best[$name]=$s; fi
    done
done
for c in "${cases[@]}"; do
    name=${c%%:*}
    cmp -s "$tmp/t1.csv" "$tmp/$name.csv" || { echo "runner-speedup: $name output differs from 1 thread" >&2; exit 1; }
done
echo "runner-speedup: $jobs jobs x work $work, best of $reps; load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '  1 thread           %7.3f s\n' "${best[t1]}"
printf '  2 threads          %7.3f s   speed-up %.2fx\n' "${best[t2]}" "$(awk "BEGIN{print ${best[t1]}/${best[t2]}}")"
if [ -n "${best[r2]:-}" ]; then
    printf '  mpirun -n 2 x 1    %7.3f s   speed-up %.2fx\n' "${best[r2]}" "$(awk "BEGIN{print ${best[t1]}/${best[r2]}}")"
fi
