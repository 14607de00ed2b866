#!/usr/bin/python3
"""Plots the output of learning_curve (eps_g vs t, log-log) into a PNG.

usage: build/host/tools/examples/learning_curve > curve.txt
       tools/plot_learning_curve.py curve.txt docs/learning_curve.png"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    src, dst = argv
    t, e, title = [], [], ""
    for line in open(src):
        if line.startswith("# erf"):
            title = line[2:].strip()
        elif line.strip() and not line.startswith("#"):
            a, b = line.split()
            t.append(float(a))
            e.append(float(b))
    if not t:
        sys.exit(f"plot_learning_curve: no data rows in {src}")
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.loglog(t, e, marker=".", lw=1)
    ax.set_xlabel("t = steps / N")
    ax.set_ylabel("generalization error (closed form)")
    ax.set_title(title, fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(dst, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1:])
