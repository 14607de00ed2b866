#!/usr/bin/python3
"""Learning curves of `twolayer train` / `twolayer ode` CSVs as a PNG (run by `twolayer plot`).

Each curve CSV (columns chain,t,eps_g and optionally train_loss) becomes the mean over its chains
at each t with a band of one standard error; each --ode CSV becomes a line (its mean, if it has
several chains). Both axes are logarithmic; points at t = 0 or with a mean <= 0 cannot be shown
there and are left out. Bad input ends with one line "twolayer plot: ..." and exit code 2.
"""
import argparse
import csv
import math
import os
import sys

PREFIX = "twolayer plot: "


def fail(message):
    """One line on stderr, exit code 2 (the tool's convention for bad input)."""
    print(PREFIX + message, file=sys.stderr)
    sys.exit(2)


def read_curve(path, option, want_train_loss):
    """{column: {t: [values over chains]}} for eps_g (and train_loss when wanted)."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        fail(f"{option} {path}: cannot read ({e.strerror})")
    if not rows:
        fail(f"{option} {path}: empty file (a header chain,t,eps_g is needed)")
    header = [h.strip() for h in rows[0]]
    columns = ["eps_g"] + (["train_loss"] if want_train_loss else [])
    for needed in ["chain", "t"] + columns:
        if needed not in header:
            fail(f"{option} {path}: no column {needed} (header: {','.join(header)})")
    at = {name: header.index(name) for name in ["t"] + columns}
    out = {name: {} for name in columns}
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        try:
            t = float(row[at["t"]])
            values = {name: float(row[at[name]]) for name in columns}
        except (ValueError, IndexError):
            fail(f"{option} {path}: line {number} is not a row of numbers: {','.join(row)}")
        for name, v in values.items():
            out[name].setdefault(t, []).append(v)
    if not out["eps_g"]:
        fail(f"{option} {path}: no data rows")
    return out


def mean_and_error(by_t):
    """Sorted t > 0, the mean over chains and its standard error (0 with one chain)."""
    ts, means, errors = [], [], []
    for t in sorted(by_t):
        values = by_t[t]
        n = len(values)
        m = sum(values) / n
        se = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1) / n) if n > 1 else 0.0
        if t > 0 and m > 0:
            ts.append(t)
            means.append(m)
            errors.append(se)
    return ts, means, errors


def label_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("curves", nargs="+", help="CSV files of learning curves (chain,t,eps_g[,train_loss])")
    p.add_argument("--ode", action="append", default=[], help="ODE CSV drawn as a line (repeatable)")
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--title", default="")
    p.add_argument("--train-loss", action="store_true", help="also draw the train_loss column (dashed)")
    a = p.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        fail(f"--python {sys.executable}: matplotlib not found (Debian: apt-get install python3-matplotlib)")

    curves = [(path, read_curve(path, "curve", a.train_loss)) for path in a.curves]
    odes = [(path, read_curve(path, "--ode", False)) for path in a.ode]
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    for index, (path, data) in enumerate(curves):
        color = f"C{index % 10}"
        n = max(len(v) for v in data["eps_g"].values())
        ts, m, se = mean_and_error(data["eps_g"])
        ax.plot(ts, m, color=color, lw=1.5, label=f"{label_of(path)} ({n} chain{'s' if n > 1 else ''})")
        if n > 1:
            lo = [max(mi - si, mi * 1e-3) for mi, si in zip(m, se)]  # a band that stays on a log axis
            ax.fill_between(ts, lo, [mi + si for mi, si in zip(m, se)], color=color, alpha=0.25, lw=0)
        if a.train_loss:
            ts, m, _ = mean_and_error(data["train_loss"])
            ax.plot(ts, m, color=color, lw=1, ls="--", label=f"{label_of(path)} train_loss")
    for index, (path, data) in enumerate(odes):
        ts, m, _ = mean_and_error(data["eps_g"])
        ax.plot(ts, m, color="black", lw=1.2, ls=["-", "--", ":", "-."][index % 4], label=f"ODE {label_of(path)}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("t = steps / N")
    ax.set_ylabel("eps_g")
    if a.title:
        ax.set_title(a.title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    try:
        fig.savefig(a.out, format="png")
    except OSError as e:
        fail(f"--out {a.out}: cannot write ({e.strerror})")


if __name__ == "__main__":
    main()
