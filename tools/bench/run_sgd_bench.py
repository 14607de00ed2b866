#!/usr/bin/python3
"""Runs bench_sgd_step and prints the markdown table of docs/BENCHMARKS.md: time per teacher-student
SGD step for twolayer (scalar and xsimd kernels) and the Eigen peer, with the ratios.

usage: tools/bench/run_sgd_bench.py [path/to/bench_sgd_step] [--min-time SECONDS]"""
import json
import subprocess
import sys


def main(argv):
    exe = "build/host-native/tools/bench/bench_sgd_step"
    min_time = "0.2"
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--min-time":
            if not args:
                sys.exit("run_sgd_bench: --min-time needs a value")
            min_time = args.pop(0)
            try:
                if float(min_time) <= 0:
                    raise ValueError
            except ValueError:
                sys.exit(f"run_sgd_bench: --min-time must be a positive number, got '{min_time}'")
        else:
            exe = a
    try:
        out = subprocess.run([exe, "--benchmark_format=json", f"--benchmark_min_time={min_time}"],
                             check=True, capture_output=True, text=True).stdout
    except FileNotFoundError:
        sys.exit(f"run_sgd_bench: {exe} not found; build it with "
                 "cmake --preset host-native && cmake --build --preset host-native --target bench_sgd_step")
    data = json.loads(out)
    ns = {}
    for b in data["benchmarks"]:
        ns[b["name"]] = b["real_time"] if b["time_unit"] == "ns" else b["real_time"] * {"us": 1e3, "ms": 1e6}[b["time_unit"]]
    ctx = data["context"]
    print(f"host: {ctx.get('host_name', '?')}, {ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz\n")
    print("| type | N | P | scalar ns | twolayer ns | Eigen ns | Eigen / twolayer | drawn x: twolayer ns | Eigen + std::normal ns | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for t in ("float", "double"):
        for n in (32, 128, 512, 2048):
            for p in (2, 8, 32):
                k = f"{t}/N{n}/P{p}"
                g = lambda v: ns[f"given_x/{k}/{v}"]
                d = lambda v: ns[f"drawn_x/{k}/{v}"]
                print(f"| {t} | {n} | {p} | {g('scalar'):.0f} | {g('twolayer'):.0f} | {g('eigen'):.0f} | "
                      f"{g('eigen') / g('twolayer'):.2f} | {d('twolayer'):.0f} | {d('eigen'):.0f} | "
                      f"{d('eigen') / d('twolayer'):.2f} |")


if __name__ == "__main__":
    main(sys.argv[1:])
