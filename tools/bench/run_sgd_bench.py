#!/usr/bin/python3
"""Runs bench_sgd_step and prints the markdown tables of docs/BENCHMARKS.md (host section): the
machine's FMA peak and L1 load/store rate, the Gaussian samplers alone, and one teacher-student SGD
step for every N in {32, 128, 512, 2048}, P in {2, 8, 32}, float and double: twolayer on scalar and
xsimd kernels (separate and fused step) against the Eigen peer, x given and x drawn, with the
roofline and ratios.

Every figure is the median over --repetitions runs of the process's CPU time (the machine is
shared: CPU time leaves out the time the core spent on other processes; rates use it too).

usage: tools/bench/run_sgd_bench.py [path/to/bench_sgd_step] [--min-time SECONDS] [--repetitions R]
                                    [--filter REGEX]"""
import json
import subprocess
import sys

PT = 2  # teacher width in bench_sgd_step.cpp


def positive(name, value, kind):
    try:
        v = kind(value)
        if v <= 0:
            raise ValueError
        return value
    except ValueError:
        sys.exit(f"run_sgd_bench: {name} must be a positive number, got '{value}'")


def main(argv):
    exe = "build/host-native/tools/bench/bench_sgd_step"
    min_time, reps, filt = "0.1", "5", None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a in ("--min-time", "--repetitions", "--filter"):
            if not args:
                sys.exit(f"run_sgd_bench: {a} needs a value")
            v = args.pop(0)
            if a == "--min-time":
                min_time = positive(a, v, float)
            elif a == "--repetitions":
                reps = positive(a, v, int)
            else:
                filt = v
        else:
            exe = a
    cmd = [exe, "--benchmark_format=json", f"--benchmark_min_time={min_time}",
           f"--benchmark_repetitions={reps}", "--benchmark_report_aggregates_only=true"]
    if filt:
        cmd.append(f"--benchmark_filter={filt}")
    try:
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        sys.exit(f"run_sgd_bench: {exe} not found; build it with "
                 "cmake --preset host-native && cmake --build --preset host-native --target bench_sgd_step")
    data = json.loads(out)
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    ns, counters = {}, {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        ns[name] = b["cpu_time"] * scale[b["time_unit"]]
        counters[name] = b
    ctx = data["context"]
    print(f"host: {ctx.get('host_name', '?')}, {ctx.get('num_cpus', '?')} CPUs, "
          f"{ctx.get('mhz_per_cpu', '?')} MHz (nominal); medians of {reps} repetitions, "
          f"min time {min_time} s each, CPU time\n")

    # Machine bounds, per ns.
    fma, l1 = {}, {}
    rows = []
    for t in ("float", "double"):
        f = counters.get(f"machine/{t}/fma_peak")
        s = counters.get(f"machine/{t}/l1_stream")
        if f:
            fma[t] = f["FMA_lanes"] / 1e9
        if s:
            l1[t] = s["elems"] / 1e9
        if f or s:
            size = 4 if t == "float" else 8
            rows.append(f"| {t} | {int(f['lanes']) if f else ''} | {fma.get(t, 0):.1f} | {2 * fma.get(t, 0):.1f} | "
                        f"{l1.get(t, 0):.1f} | {3 * size * l1.get(t, 0):.0f} |")
    if rows:
        print("| type | lanes | FMA peak (lane-FMA/ns) | GFLOP/s | L1 y += a x (elements/ns) | L1 GB/s (2 loads + 1 store) |")
        print("|---|---|---|---|---|---|")
        print("\n".join(rows) + "\n")

    rows = []
    for t in ("float", "double"):
        k = f"sampler/{t}/N512"
        if f"{k}/gaussian_block" in ns:
            rng, blk, std = ns[f"{k}/gaussian_rng"], ns[f"{k}/gaussian_block"], ns[f"{k}/std_normal"]
            ph, bm = ns.get(f"{k}/block_philox_only"), ns.get(f"{k}/block_box_muller_only")
            rows.append(f"| {t} | {rng:.0f} | {blk:.0f} | {f'{ph:.0f}' if ph else ''} | {f'{bm:.0f}' if bm else ''} | "
                        f"{std:.0f} | {blk / 512:.2f} | {std / blk:.1f} | {rng / blk:.1f} |")
    if rows:
        print("512 samples per call:\n")
        print("| type | gaussian_rng ns | gaussian_block ns | its Philox alone | its Box-Muller alone | "
              "std::normal_distribution + mt19937 ns | block ns/sample | std / block | rng / block |")
        print("|---|---|---|---|---|---|---|---|---|")
        print("\n".join(rows) + "\n")

    print("Roofline: (P + P*) N MACs of the two forward passes at the FMA peak, plus P N elements of "
          "the rank-1 update at the L1 rate; % = roofline / time. fused: the fused step "
          "(online_sgd::step(net, x, y, x_next)).\n")
    print("| type | N | P | scalar ns | twolayer ns | fused ns | Eigen ns | Eigen / twolayer | Eigen / fused "
          "| roofline ns | % of roofline | fused % of roofline "
          "| drawn: rng ns | drawn: block ns | drawn: Eigen + std::normal ns | Eigen+std / block |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")

    def cell(key, fmt="{:.0f}"):
        return fmt.format(ns[key]) if key in ns else ""

    for t in ("float", "double"):
        for n in (32, 128, 512, 2048):
            for p in (2, 8, 32):
                k = f"{t}/N{n}/P{p}"
                g, d = f"given_x/{k}/", f"drawn_x/{k}/"
                if not any(x.startswith(g) or x.startswith(d) for x in ns):
                    continue
                ratio = ratio_f = roof = frac = frac_f = ratio_d = ""
                if g + "eigen" in ns and g + "twolayer" in ns:
                    ratio = f"{ns[g + 'eigen'] / ns[g + 'twolayer']:.2f}"
                if g + "eigen" in ns and g + "fused" in ns:
                    ratio_f = f"{ns[g + 'eigen'] / ns[g + 'fused']:.2f}"
                if t in fma and t in l1:
                    r = (p + PT) * n / fma[t] + p * n / l1[t]
                    roof = f"{r:.0f}"
                    if g + "twolayer" in ns:
                        frac = f"{100 * r / ns[g + 'twolayer']:.0f}%"
                    if g + "fused" in ns:
                        frac_f = f"{100 * r / ns[g + 'fused']:.0f}%"
                if d + "eigen" in ns and d + "block" in ns:
                    ratio_d = f"{ns[d + 'eigen'] / ns[d + 'block']:.2f}"
                print(f"| {t} | {n} | {p} | {cell(g + 'scalar')} | {cell(g + 'twolayer')} | {cell(g + 'fused')} | "
                      f"{cell(g + 'eigen')} | {ratio} | {ratio_f} | {roof} | {frac} | {frac_f} | "
                      f"{cell(d + 'twolayer')} | {cell(d + 'block')} | {cell(d + 'eigen')} | {ratio_d} |")


if __name__ == "__main__":
    main(sys.argv[1:])
