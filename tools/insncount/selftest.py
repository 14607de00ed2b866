#!/usr/bin/python3
"""ctest insncount_selftest: the plugin loads, counts a function of known length exactly, and the
counts are deterministic (two runs agree) and linear in the loop count.

usage: selftest.py build/<preset>/targets/bench/insn_bench.json

targets/bench/insncount_selftest.cpp runs known_loop(n) (2 n + 2 instructions, hand-written
assembly) in three windows with n = 1000, 2000, 1000."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import insncount  # noqa: E402

N = [1000, 2000, 1000]


def main(argv):
    if len(argv) != 1:
        sys.exit(__doc__)
    cfg = insncount.load_config(argv[0])
    elf = cfg["insncount_selftest"]
    funcs = insncount.functions(cfg["nm"], elf)
    failures = []

    def check(what, got, want):
        ok = got == want
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {got}" + ("" if ok else f" (expected {want})"))
        if not ok:
            failures.append(what)

    runs = []
    for attempt in range(2):
        out, windows, warnings = insncount.run(cfg, elf, funcs)
        check(f"run {attempt}: image finished", "insncount_selftest done" in out, True)
        check(f"run {attempt}: no plugin warnings", warnings, [])
        check(f"run {attempt}: windows", len(windows), 3)
        if len(windows) != 3:
            break
        for w, n in enumerate(N):
            check(f"run {attempt}: window {w} known_loop({n}) instructions",
                  windows[w]["counts"].get("known_loop", (0, 0))[0], 2 * n + 2)
            check(f"run {attempt}: window {w} known_loop entries", windows[w]["counts"].get("known_loop", (0, 0))[1], 1)
        # The whole window (call overhead included) grows by exactly 2 instructions per iteration.
        check(f"run {attempt}: window total linear in n", windows[1]["total"] - windows[0]["total"], 2 * (N[1] - N[0]))
        check(f"run {attempt}: equal n, equal window totals", windows[2]["total"], windows[0]["total"])
        runs.append(windows)
    if len(runs) == 2:
        check("two runs give the same report", runs[1] == runs[0], True)
    # A whole-run count without markers sees every call.
    out, windows, warnings = insncount.run(cfg, elf, funcs, markers=None)
    check("whole run: one window", len(windows), 1)
    check("whole run: known_loop instructions", windows[0]["counts"].get("known_loop", (0, 0))[0],
          sum(2 * n + 2 for n in N))
    print(f"{len(failures)} failed checks" if failures else "insncount self-test passed")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except insncount.Error as e:
        print(f"FAIL insncount: {e}")
        sys.exit(1)
