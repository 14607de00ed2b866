#!/usr/bin/python3
"""The research tool's speed against what a researcher writes instead (a benchmark, not a test).

The case of issue 14: online SGD, N = 1000, P = 8, P* = 2, erf, float, first layer only; each step
draws x ~ N(0, I_N), runs the teacher and the student, updates the student. Measured in one run:
  1. `twolayer train` on one chain, one thread: steps per second of CPU time (the report
     bookkeeping included: 50 reports with the closed-form eps_g);
  2. the library's fused step alone with x given (bench_sgd_step, given_x/float/N1000/P8/fused),
     and the same step by hand with Eigen fixed-size types (given_x/.../eigen), when built;
  3. a PyTorch per-sample loop of the same step on the CPU (torch.set_num_threads(1)), with the
     update written by hand (no autograd) and with autograd, when python3-torch is installed;
  4. `twolayer train --chains 8` on 1 and on 2 threads: the wall-time speed-up.
Every time is the best of --repetitions runs (other load only slows a run down).

usage: tools/bench/run_tool_bench.py [BUILD_DIR=build/host] [--bench PATH] [--repetitions R] [--t-max T]"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

N, P, PS = 1000, 8, 2


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd):
    """(wall seconds, CPU seconds) of one run of cmd, its output discarded."""
    c0, w0 = child_cpu(), time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - w0, child_cpu() - c0


def train_cmd(tool, t_max, chains, threads):
    return [tool, "train", "--N", str(N), "--P", str(P), "--P-star", str(PS), "--act", "erf", "--format", "float",
            "--lr", "0.5", "--t-max", str(t_max), "--chains", str(chains), "--threads", str(threads), "--quiet"]


def torch_steps_per_second(steps, autograd):
    """One chain, per-sample loop, float32 on the CPU, one thread: the step as a researcher writes it."""
    import torch
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(1)
    W = torch.randn(P, N, generator=g) * 1e-3
    Ws = torch.randn(PS, N, generator=g)
    v, vs = torch.ones(P), torch.ones(PS)
    lr, s2, sN = 0.5, 2 ** 0.5, N ** 0.5
    if autograd:
        W.requires_grad_(True)
    start = time.process_time()
    for _ in range(steps):
        x = torch.randn(N, generator=g)
        with torch.no_grad():
            y = (vs * torch.erf(Ws @ x / sN / s2)).sum()
        if autograd:
            lam = W @ x / sN
            loss = 0.5 * ((v * torch.erf(lam / s2)).sum() - y) ** 2
            loss.backward()
            with torch.no_grad():
                W -= lr * sN * W.grad  # the teacher-student scaling: eta sqrt(N) times the gradient
                W.grad = None
        else:
            with torch.no_grad():
                lam = W @ x / sN
                delta = (v * torch.erf(lam / s2)).sum() - y
                gp = (2 / torch.pi) ** 0.5 * torch.exp(-0.5 * lam * lam)
                W -= (lr / sN) * torch.outer(v * gp * delta, x)
    return steps / (time.process_time() - start)


def bench_step(exe, reps):
    """{name: ns per step} of the library's fused step and the Eigen peer at N = 1000, P = 8."""
    if not os.path.exists(exe):
        print(f"run_tool_bench: {exe} not built, the step-alone rows are skipped", file=sys.stderr)
        return {}
    out = subprocess.run([exe, "--benchmark_filter=given_x/float/N1000/P8/(fused|eigen|twolayer)$",
                          f"--benchmark_repetitions={reps}", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    best = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") == "iteration":
            best[b["run_name"]] = min(best.get(b["run_name"], 1e300), b["cpu_time"])
    return best


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("build", nargs="?", default="build/host")
    a.add_argument("--bench", default="build/host-native/tools/bench/bench_sgd_step",
                   help="bench_sgd_step (cmake --preset host-native && cmake --build --preset host-native --target bench_sgd_step)")
    a.add_argument("--repetitions", type=int, default=3)
    a.add_argument("--t-max", type=float, default=200, help="train's duration (t = steps / N)")
    o = a.parse_args()
    if o.repetitions < 1 or o.t_max <= 0:
        sys.exit("run_tool_bench: --repetitions and --t-max must be positive")
    tool = os.path.join(o.build, "twolayer")
    if not os.path.exists(tool):
        sys.exit(f"run_tool_bench: {tool} not found (ninja -C {o.build} twolayer_tool)")
    steps = round(o.t_max * N)
    cpu = min(timed(train_cmd(tool, o.t_max, 1, 1))[1] for _ in range(o.repetitions))
    rows = [("`twolayer train` (one chain, one thread; x drawn, teacher, student, 50 reports)", steps / cpu)]
    for name, ns in sorted(bench_step(o.bench, o.repetitions).items()):
        rows.append((f"`{name}` (bench_sgd_step: x given, no draw, no teacher)", 1e9 / ns))
    try:
        import torch  # noqa: F401
        torch_steps = max(2000, steps // 50)
        for autograd in (False, True):
            rate = max(torch_steps_per_second(torch_steps, autograd) for _ in range(o.repetitions))
            rows.append((f"PyTorch {torch.__version__} CPU per-sample loop, {'autograd' if autograd else 'update by hand'}", rate))
    except ImportError:
        print("run_tool_bench: no python3-torch, the PyTorch peer is skipped", file=sys.stderr)
    ours = rows[0][1]
    print(f"N = {N}, P = {P}, P* = {PS}, erf, float; steps per second of CPU time, best of {o.repetitions}\n")
    print("| what | steps/s | twolayer train / it |")
    print("| --- | --- | --- |")
    for name, rate in rows:
        print(f"| {name} | {rate:.3g} | {ours / rate:.3g} |")
    chains = 8
    t_chain = o.t_max / 4
    w1 = min(timed(train_cmd(tool, t_chain, chains, 1))[0] for _ in range(o.repetitions))
    w2 = min(timed(train_cmd(tool, t_chain, chains, 2))[0] for _ in range(o.repetitions))
    print(f"\n`twolayer train --chains {chains} --t-max {t_chain:g}`: 1 thread {w1:.2f} s, 2 threads {w2:.2f} s wall, "
          f"speed-up {w1 / w2:.2f}x (cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()
