"""Helpers of the end-to-end tests of the `twolayer` executable (run by /usr/bin/python3)."""
import os
import subprocess
import sys
import tempfile

failures = []


def check(ok, what):
    """Records a failed expectation (the test goes on, and fails at the end)."""
    if not ok:
        failures.append(what)
        print("FAILED: " + what, file=sys.stderr)


def run(tool, args, **kw):
    """Runs the tool, returns (exit code, stdout, stderr)."""
    p = subprocess.run([tool] + args, capture_output=True, text=True, timeout=300, **kw)
    return p.returncode, p.stdout, p.stderr


def expect_bad_input(tool, command, args, directory, target, keep=None):
    """Exit code 2, exactly one stderr line naming the command, and no file left behind: the target
    is absent (or, when `keep` is its former content, unchanged) and no temporary remains."""
    before = set(os.listdir(directory))
    code, _, err = run(tool, [command] + args)
    lines = err.splitlines()
    label = " ".join([command] + args)
    check(code == 2, f"{label}: exit code {code}, not 2")
    check(len(lines) == 1 and lines[0].startswith(f"twolayer {command}: "), f"{label}: stderr is not one line: {err!r}")
    if keep is None:
        check(not os.path.exists(target), f"{label}: {target} was left behind")
    else:
        with open(target, "rb") as f:
            check(f.read() == keep, f"{label}: {target} was changed")
    left = set(os.listdir(directory)) - before
    check(not left, f"{label}: left files {sorted(left)}")
    return lines[0] if lines else ""


def finish(name):
    if failures:
        print(f"{name}: {len(failures)} failed", file=sys.stderr)
        sys.exit(1)
    print(f"{name}: all passed")


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="twolayer-test-")
