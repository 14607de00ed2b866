"""End-to-end tests of `twolayer plot`: a PNG from small CSVs (mean and band over chains, an ODE
overlaid), and bad input (exit 2, one line, no file left, an existing --out untouched): a missing
file, a CSV without the needed columns, a row that is not numbers, matplotlib missing.
Usage: test_cli_plot.py PATH_TO_TWOLAYER"""
import math
import os
import stat
import sys

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


with temp_dir() as d:
    curves = os.path.join(d, "sgd.csv")
    ode = os.path.join(d, "ode.csv")
    rows = ["chain,t,eps_g,train_loss"]
    for chain in range(4):
        for i in range(20):
            t = 0 if i == 0 else 10 ** (i / 5 - 2)
            e = 0.3 * math.exp(-t / (3 + chain)) + 1e-3
            rows.append(f"{chain},{t},{e},{e * 1.1}")
    write(curves, "\n".join(rows) + "\n")
    write(ode, "chain,t,eps_g\n" + "".join(f"0,{10 ** (i / 5 - 2)},{0.3 * math.exp(-10 ** (i / 5 - 2) / 4) + 1e-3}\n"
                                          for i in range(20)))
    png = os.path.join(d, "fig.png")
    code, _, err = run(tool, ["plot", curves, "--ode", ode, "--train-loss", "--title", "test", "--out", png])
    check(code == 0, f"plot: exit {code}, stderr {err!r}")
    with open(png, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, f"plot: not a PNG of some size ({len(data)} bytes)")
    check(sorted(os.listdir(d)) == ["fig.png", "ode.csv", "sgd.csv"], f"plot: files {sorted(os.listdir(d))}")

    out = os.path.join(d, "bad.png")
    nocol = os.path.join(d, "nocol.csv")
    write(nocol, "chain,t,loss\n0,1,0.5\n")
    badrow = os.path.join(d, "badrow.csv")
    write(badrow, "chain,t,eps_g\n0,1,zero\n")
    # a Python without its site packages: no matplotlib
    nompl = os.path.join(d, "python-without-matplotlib")
    write(nompl, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n")
    os.chmod(nompl, stat.S_IRWXU)
    cases = [
        ([os.path.join(d, "missing.csv"), "--out", out], "missing.csv"),
        ([curves, "--ode", os.path.join(d, "missing.csv"), "--out", out], "--ode"),
        ([nocol, "--out", out], "no column eps_g"),
        ([curves, "--ode", nocol, "--out", out], "--ode"),
        ([badrow, "--out", out], "line 2"),
        ([ode, "--train-loss", "--out", out], "train_loss"),
        ([curves, "--out", out, "--python", nompl], "matplotlib not found"),
        ([curves, "--out", out, "--python", os.path.join(d, "no-python")], "--python"),
        ([curves, "--out", os.path.join(d, "no", "dir", "x.png")], "--out"),
        ([curves], "--out"),
    ]
    for args, named in cases:
        line = expect_bad_input(tool, "plot", args, d, out)
        check(named in line, f"plot {args}: the line does not name {named!r}: {line!r}")
    # an existing figure is untouched by a refused run
    expect_bad_input(tool, "plot", [nocol, "--out", png], d, png, keep=data)
finish("test_cli_plot")
