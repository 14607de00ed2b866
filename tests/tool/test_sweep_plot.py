"""tools/plot/sweep_plot.py on tests/tool/data/sweep_small.csv: every figure written as a PNG for
each (teacher, N) and cost column (ram_bytes, flash_bytes_cortex-m4, insns_per_step_cortex-m4:
a Pareto plot each, and a heatmap each of the two device costs);
the Pareto fronts equal the ones worked out by hand from the fixture; bad input (no such file, a
CSV without the sweep's columns, a missing --out-dir) exits 2 with one line.
Usage: test_sweep_plot.py PATH_TO_sweep_plot.py"""
import csv
import os
import subprocess
import sys

from cli_check import check, finish, temp_dir

script = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
small = os.path.join(here, "data", "sweep_small.csv")


def plot(args):
    p = subprocess.run([sys.executable, script] + args, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def front(path):
    with open(path, newline="") as f:
        return [(float(r[0]), float(r[1]), r[2]) for r in list(csv.reader(f))[1:]]


with temp_dir() as d:
    code, out, err = plot([small, "--out-dir", d])
    check(code == 0, f"exit {code}: {err}")
    costs = ["ram_bytes", "flash_bytes_cortex-m4", "insns_per_step_cortex-m4"]
    for tag in ("erf_N64", "relu_N64"):
        names = [f"heatmap_error_{tag}.png", f"heatmap_ram_{tag}.png"] + [f"pareto_{c}_{tag}.png" for c in costs] + \
                [f"heatmap_{c}_{tag}.png" for c in costs[1:]]
        for n in names:
            path = os.path.join(d, n)
            check(os.path.exists(path), f"{n}: not written")
            if os.path.exists(path):
                with open(path, "rb") as f:
                    check(f.read(8) == b"\x89PNG\r\n\x1a\n", f"{n}: not a PNG")
    # By hand from the fixture (erf, N = 64): RAM 856 bf16 P=2 (4e-4), 1816 float P=2 (2e-6),
    # 3096 double P=2 (1e-10); q3_12 P=2 has bf16's RAM and a larger error.
    check(front(os.path.join(d, "pareto_ram_bytes_erf_N64.csv")) ==
          [(856.0, 4e-4, "bf16 P=2"), (1816.0, 2e-6, "float P=2"), (3096.0, 1e-10, "double P=2")], "RAM front")
    check(front(os.path.join(d, "pareto_insns_per_step_cortex-m4_erf_N64.csv")) ==
          [(3000.0, 2e-3, "q3_12 P=2"), (4000.0, 2e-6, "float P=2"), (9000.0, 1e-10, "double P=2")], "instructions front")
    for args, says in (([os.path.join(d, "none.csv"), "--out-dir", d], "cannot read"),
                       ([script, "--out-dir", d], "no column"),
                       ([small, "--out-dir", os.path.join(d, "none")], "--out-dir")):
        code, _, err = plot(args)
        lines = err.splitlines()
        check(code == 2 and len(lines) == 1 and lines[0].startswith("sweep_plot: ") and says in lines[0],
              f"{args}: exit {code}, {err!r}")

finish("test_sweep_plot")
