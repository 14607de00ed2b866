#!/usr/bin/env python3
"""Runs one example firmware program and checks the numbers it prints (the ctests of
targets/examples). usage: check_example.py EXAMPLE COMMAND... (COMMAND: the program, behind the
board emulator on bare-metal presets). Exit 0 when the output passes, 1 with the reason otherwise."""
import re
import subprocess
import sys


def fail(why):
    raise SystemExit(f"check_example: {why}")


def online_training(out):
    """The error falls at least 100-fold and every step was accepted."""
    steps = [(int(s), float(e)) for s, e in re.findall(r"^step (\d+) eps_g (\S+)$", out, re.M)]
    if len(steps) < 3:
        fail(f"expected at least 3 'step' lines, found {len(steps)}")
    first, last = steps[0][1], steps[-1][1]
    if not last < first / 100:
        fail(f"eps_g fell from {first} to {last}: less than 100-fold")
    m = re.search(r"^accepted (\d+) refused (\d+)$", out, re.M)
    if not m or int(m.group(2)) != 0 or int(m.group(1)) != steps[-1][0]:
        fail(f"not every one of the {steps[-1][0]} steps was accepted")
    return f"eps_g {first:.3g} -> {last:.3g} ({first / last:.0f}-fold), {m.group(1)} steps accepted"


CHECKS = {"online_training": online_training}


def main():
    name, command = sys.argv[1], sys.argv[2:]
    run = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    sys.stdout.write(run.stdout)
    if run.returncode != 0:
        fail(f"{name} exited with {run.returncode}")
    print(f"check_example: {name}: {CHECKS[name](run.stdout)}")


if __name__ == "__main__":
    main()
