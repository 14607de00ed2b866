#!/usr/bin/python3
"""One Hessian-vector product of the mean squared loss against PyTorch autograd (a benchmark, not a test).

The case of issue 15: N = 1000, P = 8, M = 4N samples, erf units, both layers trained, no biases,
double, one core. Measured in one run:
  1. bench_hvp (tools/bench/bench_hvp.cpp): the library's hessian_vector_product on the build's
     default arch and on the scalar reference kernels, and the flat gradient alone;
  2. torch.autograd.functional.hvp on the same sizes (torch.set_num_threads(1), float64, CPU),
     the loss written batched (X W^T as one matrix product, as a researcher writes it); also the
     double-backward product (grad of (grad . u)) that functional.hvp's docs suggest as faster,
     when python3-torch is installed.
Every time is the best of --repetitions (other load only slows a run down).

usage: tools/bench/run_hvp_bench.py [BUILD_DIR=build/host-native] [--repetitions R]"""
import argparse
import json
import os
import subprocess
import sys
import time

N, P = 1000, 8
M = 4 * N


def bench_rows(exe, reps):
    """{benchmark name: best ms per call} from bench_hvp."""
    out = subprocess.run([exe, f"--benchmark_repetitions={reps}", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    best = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        ms = b["cpu_time"] * {"ms": 1, "us": 1e-3, "ns": 1e-6}[b["time_unit"]]
        name = b["run_name"]
        best[name] = min(best.get(name, ms), ms)
    return best


def torch_rows(reps):
    """{peer name: best ms per product} for PyTorch, or {} when it is not installed."""
    try:
        import torch
    except ImportError:
        print("run_hvp_bench: python3-torch not installed, the PyTorch rows are skipped", file=sys.stderr)
        return {}, None
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(1)
    X = torch.randn(M, N, generator=g)
    Wt = torch.randn(P, N, generator=g)
    y = torch.erf(X @ Wt.T / N ** 0.5 / 2 ** 0.5).sum(1)
    W0 = torch.randn(P, N, generator=g)
    v0 = torch.randn(P, generator=g)
    uW, uv = torch.randn(P, N, generator=g), torch.randn(P, generator=g)
    s = (N ** 0.5) * (2 ** 0.5)

    def loss(W, v):
        # The library's erf unit is erf(z / sqrt 2), z = w . x / sqrt N; l = (yhat - y)^2 / 2.
        return 0.5 * ((torch.erf(X @ W.T / s) @ v - y) ** 2).mean()

    def functional():
        return torch.autograd.functional.hvp(loss, (W0, v0), (uW, uv))[1]

    def double_backward():
        W, v = W0.clone().requires_grad_(True), v0.clone().requires_grad_(True)
        gW, gv = torch.autograd.grad(loss(W, v), (W, v), create_graph=True)
        return torch.autograd.grad((gW * uW).sum() + (gv * uv).sum(), (W, v))

    rows = {}
    for name, f in (("torch.autograd.functional.hvp", functional), ("torch double backward", double_backward)):
        f()  # warm up
        best = float("inf")
        for _ in range(reps):
            t0 = time.process_time()
            f()
            best = min(best, (time.process_time() - t0) * 1e3)
        rows[name] = best
    return rows, torch.__version__


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", nargs="?", default="build/host-native")
    ap.add_argument("--repetitions", type=int, default=5)
    a = ap.parse_args()
    if a.repetitions < 1:
        print("run_hvp_bench: --repetitions: must be at least 1", file=sys.stderr)
        return 2
    exe = os.path.join(a.build, "tools", "bench", "bench_hvp")
    if not os.path.exists(exe):
        print(f"run_hvp_bench: {exe} not built (cmake --build {a.build} --target bench_hvp)", file=sys.stderr)
        return 2
    ours = bench_rows(exe, a.repetitions)
    peers, version = torch_rows(a.repetitions)
    ref = ours["hvp/double/N1000/P8/M4000/default"]
    print(f"N = {N}, P = {P}, M = {M}, erf, squared loss, both layers, double, one thread; "
          f"ms of CPU time per call, best of {a.repetitions}\n")
    print("| what | ms | it / twolayer hvp |")
    print("| --- | --- | --- |")
    for name, ms in ours.items():
        print(f"| `{name}` (bench_hvp) | {ms:.2f} | {ms / ref:.2f} |")
    for name, ms in peers.items():
        print(f"| PyTorch {version} CPU, {name} | {ms:.2f} | {ms / ref:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
