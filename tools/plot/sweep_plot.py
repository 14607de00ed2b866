#!/usr/bin/python3
"""Figures of a `twolayer sweep` CSV (its median rows), per teacher and N:
  heatmap_error_<teacher>_N<N>.png   log10 of the median final eps_g, format x width
  heatmap_ram_<teacher>_N<N>.png     the RAM bytes of training, format x width
  heatmap_<cost>_<teacher>_N<N>.png  every device cost column (below), format x width, coloured by
                                     log10, labelled in thousands
  pareto_<cost>_<teacher>_N<N>.png   eps_g against a cost, every configuration, its Pareto front
                                     drawn and written as pareto_<cost>_<teacher>_N<N>.csv
The costs: ram_bytes, and every flash_bytes_<device> and insns_per_step_<device> column the CSV
has (joined by the device half of the sweep). The Pareto front: the configurations that no other
one beats in both (lower or equal cost and error, one of them lower). Bad input: one line
"sweep_plot: ..." on stderr, exit code 2.

usage: tools/plot/sweep_plot.py SWEEP.csv --out-dir DIR [--teacher T] [--N N]"""
import argparse
import csv
import math
import os
import sys

PREFIX = "sweep_plot: "


def fail(message):
    print(PREFIX + message, file=sys.stderr)
    sys.exit(2)


def number(text):
    return math.inf if text == "never" else float(text)


def read(path):
    """The median rows as dicts, and the cost columns present."""
    try:
        with open(path, newline="") as f:
            lines = [line for line in f if not line.startswith("#")]
    except OSError as e:
        fail(f"{path}: cannot read ({e.strerror})")
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    for needed in ("kind", "teacher", "N", "P", "format", "eps_g", "ram_bytes"):
        if needed not in header:
            fail(f"{path}: no column {needed} (not a sweep CSV)")
    rows = []
    for r in reader:
        if r["kind"] != "median":
            continue
        try:
            r["P"], r["N"], r["eps_g"] = int(r["P"]), int(r["N"]), number(r["eps_g"])
        except ValueError:
            fail(f"{path}: a median row with a bad number: {r}")
        rows.append(r)
    costs = ["ram_bytes"] + [c for c in header if c.startswith("flash_bytes_") or c.startswith("insns_per_step_")]
    return rows, costs


def pareto_front(points):
    """The points (cost, error, label) no other point beats in both, by cost."""
    front = []
    for p in sorted(points, key=lambda q: (q[0], q[1])):
        if not front or p[1] < front[-1][1]:
            front.append(p)
    return front


def thousands(v):
    """A cell label for a device cost: 14528 -> '14.5K', 2225594 -> '2226K'."""
    return f"{v / 1000:.1f}K" if v < 1e5 else f"{v / 1000:.0f}K"


def heatmap(plt, rows, value, title, path, log, label=None):
    """A format x width grid of value(row); log: coloured by log10; label: the cell text of a value."""
    formats = list(dict.fromkeys(r["format"] for r in rows))
    widths = sorted({r["P"] for r in rows})
    grid = [[math.nan] * len(widths) for _ in formats]
    text = [[""] * len(widths) for _ in formats]
    for r in rows:
        v = value(r)
        if v is None or math.isnan(v):
            continue
        i, j = formats.index(r["format"]), widths.index(r["P"])
        grid[i][j] = math.log10(v) if log and v > 0 else v
        text[i][j] = label(v) if label else (f"{grid[i][j]:.1f}" if log else f"{v:.0f}")
    fig, ax = plt.subplots(figsize=(1.0 + 0.8 * len(widths), 1.0 + 0.4 * len(formats)))
    im = ax.imshow(grid, aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(widths)), [str(w) for w in widths])
    ax.set_yticks(range(len(formats)), formats)
    ax.set_xlabel("student width P")
    ax.set_title(title, fontsize=9)
    for i, row in enumerate(text):
        for j, t in enumerate(row):
            if t:
                ax.text(j, i, t, ha="center", va="center", fontsize=6, color="w")
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def pareto_plot(plt, rows, cost, title, png, csv_path):
    points = [(number(r[cost]), r["eps_g"], f"{r['format']} P={r['P']}") for r in rows
              if r.get(cost) not in (None, "", "never") and r["eps_g"] > 0]
    front = pareto_front(points)
    with open(csv_path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([cost, "eps_g", "configuration"])
        for p in front:
            w.writerow([repr(p[0]), repr(p[1]), p[2]])
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.scatter([p[0] for p in points], [p[1] for p in points], s=10, color="0.6", label="configurations")
    ax.plot([p[0] for p in front], [p[1] for p in front], "o-", color="C3", label="Pareto front")
    for p in front:
        ax.annotate(p[2], (p[0], p[1]), fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(cost)
    ax.set_ylabel("median final eps_g")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    plt.close(fig)


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("csv")
    a.add_argument("--out-dir", required=True)
    a.add_argument("--teacher")
    a.add_argument("--N", type=int)
    args = a.parse_args()
    if not os.path.isdir(args.out_dir):
        fail(f"--out-dir {args.out_dir}: not a directory")
    rows, costs = read(args.csv)
    groups = sorted({(r["teacher"], r["N"]) for r in rows
                     if (args.teacher is None or r["teacher"] == args.teacher) and (args.N is None or r["N"] == args.N)})
    if not groups:
        fail(f"{args.csv}: no median row" + ("" if args.teacher is None and args.N is None else " for --teacher / --N"))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    for teacher, N in groups:
        g = [r for r in rows if r["teacher"] == teacher and r["N"] == N]
        tag = f"{teacher}_N{N}"
        heatmap(plt, g, lambda r: r["eps_g"], f"log10 median eps_g ({teacher} teacher, N = {N})",
                os.path.join(args.out_dir, f"heatmap_error_{tag}.png"), True)
        heatmap(plt, g, lambda r: number(r["ram_bytes"]), f"RAM bytes of training ({teacher} teacher, N = {N})",
                os.path.join(args.out_dir, f"heatmap_ram_{tag}.png"), False)
        for cost in (c for c in costs if c != "ram_bytes"):
            cells = lambda r, c=cost: number(r[c]) if r.get(c) not in (None, "") else math.nan
            heatmap(plt, g, cells, f"{cost} ({teacher} teacher, N = {N}; log colour)",
                    os.path.join(args.out_dir, f"heatmap_{cost}_{tag}.png"), True, thousands)
        for cost in costs:
            pareto_plot(plt, g, cost, f"eps_g against {cost} ({teacher} teacher, N = {N})",
                        os.path.join(args.out_dir, f"pareto_{cost}_{tag}.png"),
                        os.path.join(args.out_dir, f"pareto_{cost}_{tag}.csv"))
        print(f"sweep_plot: {teacher} N={N}: {len(g)} configurations, {1 + 2 * len(costs)} figures in {args.out_dir}")


if __name__ == "__main__":
    main()
