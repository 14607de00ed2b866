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


def readout_retraining(out):
    """Retraining lowers the error of both classes' mean, and class weighting lowers the minority
    class's error below the plain retraining's."""
    errors = {name: (float(major), float(minor)) for name, major, minor in
              re.findall(r"^readout (\w+) majority_error (\S+) minority_error (\S+)$", out, re.M)}
    for name in ("initial", "plain", "weighted"):
        if name not in errors:
            fail(f"no 'readout {name}' line")
    mean = {name: (e[0] + e[1]) / 2 for name, e in errors.items()}
    for name in ("plain", "weighted"):
        if not mean[name] < mean["initial"]:
            fail(f"retraining ({name}) did not lower the mean class error: {mean['initial']} -> {mean[name]}")
    if not errors["weighted"][1] < errors["plain"][1]:
        fail(f"class weighting did not lower the minority error: {errors['plain'][1]} -> {errors['weighted'][1]}")
    return (f"mean class error {mean['initial']:.3g} -> {mean['plain']:.3g} (plain), {mean['weighted']:.3g} (weighted); "
            f"minority error {errors['plain'][1]:.3g} -> {errors['weighted'][1]:.3g} with class weights")


# What each damaged update must be refused with (a phrase of io/blob_format.hpp's to_string).
BLOB_REFUSALS = {"flipped_byte": "checksum mismatch", "truncated": "truncated", "wrong_size": "sizes"}


def blob_update(out):
    """The good and the resent blob are accepted and change the outputs to the sender's; each damaged
    one is refused with its own status and leaves the running network's bytes and outputs as they were."""
    updates = {name: (int(status), text) for name, status, text in
               re.findall(r"^update (\w+): received \d+ bytes, status (\d+) \((.*)\)$", out, re.M)}
    unchanged = {name: (b, o) for name, b, o in re.findall(r"^unchanged (\w+) bytes (\w+) outputs (\w+)$", out, re.M)}
    for name in ("good", "resent"):
        if updates.get(name, (None,))[0] != 0:
            fail(f"update {name} was not accepted: {updates.get(name)}")
    for name, phrase in BLOB_REFUSALS.items():
        if name not in updates or updates[name][0] == 0 or phrase not in updates[name][1]:
            fail(f"update {name} not refused as '{phrase}': {updates.get(name)}")
        if unchanged.get(name) != ("yes", "yes"):
            fail(f"update {name}: the running network changed: {unchanged.get(name)}")
    statuses = [updates[n][0] for n in BLOB_REFUSALS]
    if len(set(statuses)) != len(statuses):
        fail(f"the refusals share a status: {statuses}")
    outputs = re.findall(r"^outputs (.*)$", out, re.M)  # shipped, after good, after resent
    if len(outputs) != 3 or len(set(outputs)) != 3:
        fail(f"expected three different sets of outputs (shipped, good, resent): {outputs}")
    if re.findall(r"^sender_match (\w+)$", out, re.M) != ["yes", "yes"]:
        fail("the accepted updates' outputs are not the sender's bit for bit")
    return f"2 updates accepted, {len(statuses)} damaged ones refused with statuses {statuses}, network unchanged"


CHECKS = {"online_training": online_training, "readout_retraining": readout_retraining, "blob_update": blob_update}


def main():
    name, command = sys.argv[1], sys.argv[2:]
    run = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    sys.stdout.write(run.stdout)
    if run.returncode != 0:
        fail(f"{name} exited with {run.returncode}")
    print(f"check_example: {name}: {CHECKS[name](run.stdout)}")


if __name__ == "__main__":
    main()
