"""The flash-inference example's check (ctest flash_inference, every bare-metal preset): runs the
image (the emulator command and the image follow the weights directory on the command line),
reads the inputs and outputs it prints as float bits, recomputes each output on the host in double
from the .npy weights the header was exported from (weights/W.npy, v.npy: float64 holding the
float values exactly), and requires |board - host| <= bound for every sample.

The bound is what float arithmetic may cost against double, for any summation order (a SIMD or DSP
kernel splits the sums), with u = 2^-24 the unit roundoff of float:
  lambda_k = w_k . x / sqrt(N): error <= (N + 3) u S_k,  S_k = sum_j |w_kj x_j| / sqrt(N)
            (N roundings of a dot product in any order, the scale, its rounding);
  g_k = erf(lambda_k / sqrt 2): error <= sqrt(2/pi) (error of lambda_k + 2 u |lambda_k|) + 4 u
            (g's slope is at most sqrt(2/pi); the argument's scaling; erff's few ulp of |g| <= 1);
  y = sum_k v_k g_k: error <= sum_k |v_k| (error of g_k) + (P + 1) u sum_k |v_k g_k|.
usage: check_outputs.py WEIGHTS_DIR EMULATOR... IMAGE"""
import ast
import math
import struct
import subprocess
import sys

U = 2.0 ** -24
SAMPLES = 8


def read_npy_f8(path):
    """Shape and values (C order) of a float64 .npy file (version 1.0, as `twolayer train` writes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        sys.exit(f"{path}: not a .npy file")
    hlen = struct.unpack("<H", data[8:10])[0]
    header = ast.literal_eval(data[10:10 + hlen].decode("latin1"))
    if header["descr"] != "<f8" or header["fortran_order"]:
        sys.exit(f"{path}: expected C-order float64, found {header}")
    body = data[10 + hlen:]
    return header["shape"], struct.unpack("<%dd" % (len(body) // 8), body)


def as_float(word):
    return struct.unpack("<f", struct.pack("<I", int(word, 16)))[0]


def host_output(W, v, n, x):
    """The output in double, and the bound on the float network's error (module docstring)."""
    y, err, vg = 0.0, 0.0, 0.0
    for k, vk in enumerate(v):
        row = W[k * n:(k + 1) * n]
        lam = sum(w * xj for w, xj in zip(row, x)) / math.sqrt(n)
        s = sum(abs(w * xj) for w, xj in zip(row, x)) / math.sqrt(n)
        g = math.erf(lam / math.sqrt(2.0))
        err_lam = (n + 3) * U * s
        err_g = math.sqrt(2.0 / math.pi) * (err_lam + 2 * U * abs(lam)) + 4 * U
        y += vk * g
        err += abs(vk) * err_g
        vg += abs(vk * g)
    return y, err + (len(v) + 1) * U * vg


def main(argv):
    weights, command = argv[1], argv[2:]
    (p, n), W = read_npy_f8(f"{weights}/W.npy")
    (pv,), v = read_npy_f8(f"{weights}/v.npy")
    if pv != p:
        sys.exit(f"v.npy has {pv} values, W.npy {p} rows")
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"the image exited {run.returncode}: {run.stdout}{run.stderr}")
    inputs, outputs = {}, {}
    for line in run.stdout.splitlines():
        f = line.split()
        if len(f) >= 3 and f[0] == "x":
            inputs[int(f[1])] = [as_float(w) for w in f[2:]]
        elif len(f) == 3 and f[0] == "y":
            outputs[int(f[1])] = as_float(f[2])
    failures = 0
    if sorted(inputs) != list(range(SAMPLES)) or sorted(outputs) != list(range(SAMPLES)):
        sys.exit(f"expected {SAMPLES} inputs and outputs, found {len(inputs)} and {len(outputs)}:\n{run.stdout}")
    worst = 0.0
    print(f"sample  board            host (double)     |difference|  bound")
    for s in range(SAMPLES):
        x = inputs[s]
        if len(x) != n:
            sys.exit(f"sample {s}: {len(x)} inputs, the network has N = {n}")
        want, bound = host_output(W, v, n, x)
        diff = abs(outputs[s] - want)
        worst = max(worst, diff / bound)
        ok = diff <= bound
        failures += 0 if ok else 1
        print(f"{s:>6}  {outputs[s]: .9e}  {want: .9e}  {diff:.3e}     {bound:.3e}{'' if ok else '  FAILED'}")
    if len({tuple(x) for x in inputs.values()}) != SAMPLES:
        sys.exit("the image printed the same input twice")
    print(f"largest |difference| / bound: {worst:.3f}")
    if failures:
        sys.exit(f"{failures} of {SAMPLES} outputs outside the bound")
    print(f"flash_inference: all {SAMPLES} outputs within the bound")


if __name__ == "__main__":
    main(sys.argv)
