#!/usr/bin/python3
"""End-to-end test of tools/sweep-device on one preset (a ctest of the Cortex-M4 preset).

usage: test_sweep_device.py PRESET TWOLAYER

On tests/tool/data/sweep_tiny.csv (rows of docs/data/sweep_default.csv: erf teacher, N = 64,
P = 4, float and bf16+sr), restricted to float by --formats: one firmware build and one QEMU
count. Checks that every row gained the preset's three columns, filled for the float rows (flash
> 0, instructions per step > per inference > 0) and empty for the others; that a second run is
served from the cache with the same figures; and that `TWOLAYER recommend` (the host preset's
tool: tools/test-all builds the host preset first) reads the output and picks the float row.
Writes only to its own temporary directory."""
import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TINY = os.path.join(HERE, "data", "sweep_tiny.csv")


def fail(message):
    print(f"FAIL: {message}")
    sys.exit(1)


def sweep_device(preset, cache, out):
    r = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "sweep-device"), TINY, "--presets", preset,
                        "--formats", "float", "--cache", cache, "--out", out, "--no-build"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"sweep-device exited with {r.returncode}: {r.stderr}")
    with open(out, newline="") as f:
        grid = f.readline()
        rows = list(csv.DictReader(f))
    return grid, rows, r.stderr


def main(preset, twolayer):
    if not os.path.exists(twolayer):
        fail(f"{twolayer} does not exist: build the host preset first (twolayer recommend reads the output)")
    with tempfile.TemporaryDirectory(prefix="sweep_device") as tmp:
        out, cache = os.path.join(tmp, "out.csv"), os.path.join(tmp, "cache")
        grid, rows, log = sweep_device(preset, cache, out)
        if not grid.startswith("# twolayer sweep grid: ") or len(rows) != 12:
            fail(f"the grid line and the 12 rows are not kept: {grid!r}, {len(rows)} rows")
        cols = [f"{c}_{preset}" for c in ("flash_bytes", "insns_per_step", "insns_per_inference")]
        for r in rows:
            if any(c not in r for c in cols):
                fail(f"missing columns: {r}")
            if r["format"] != "float":
                if any(r[c] for c in cols):
                    fail(f"a row outside --formats has figures: {r}")
                continue
            flash, step, infer = (int(r[c]) for c in cols)
            if not (flash > 0 and step > infer > 0):
                fail(f"implausible figures: flash {flash}, per step {step}, per inference {infer}")
        _, again, log2 = sweep_device(preset, cache, os.path.join(tmp, "again.csv"))
        if "(cached)" not in log2 or again != rows:
            fail(f"the second run was not served from the cache with the same figures: {log2}")
        float_row = next(r for r in rows if r["format"] == "float")
        rec = subprocess.run([twolayer, "recommend", "--csv", out, "--device", preset, "--ram", "8K", "--error", "1e-3",
                              "--flash", str(int(float_row[cols[0]]) + 1), "--insns-per-step",
                              str(int(float_row[cols[1]]) + 1)], capture_output=True, text=True)
        if rec.returncode != 0 or "float P=4" not in rec.stdout or "bf16" in rec.stdout:
            fail(f"recommend: exit {rec.returncode}: {rec.stdout}{rec.stderr}")
    print("sweep-device: ok")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
