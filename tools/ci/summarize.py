#!/usr/bin/env python3
"""Sum the test cases of every suite in ctest JUnit files into one closing line.

Each test binary ends its output with "N passed, N failed[, N skipped]"; those counts are added up.
A ctest entry that printed no such line counts as one case (passed or failed as ctest saw it), and
an entry ctest marks failed always contributes at least one failure (a crash after a clean summary
line, a timeout, a wrong exit code)."""
import re
import sys
import xml.etree.ElementTree as ET

LINE = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$")


def main(paths):
    passed = failed = skipped = 0
    per_file = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            print(f"summarize: cannot read {path}: {e}")
            failed += 1
            continue
        fp = ff = fs = 0
        for case in root.iter("testcase"):
            out = case.findtext("system-out") or ""
            ctest_failed = case.get("status") == "fail" or case.find("failure") is not None
            ctest_skipped = case.get("status") in ("notrun", "disabled") or case.find("skipped") is not None
            counts = None
            for line in out.splitlines():
                m = LINE.match(line.strip())
                if m:
                    counts = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
            if counts is None:
                if ctest_skipped:
                    fs += 1
                elif ctest_failed:
                    ff += 1
                else:
                    fp += 1
                continue
            p, f, s = counts
            if ctest_failed and f == 0:
                f = 1
            fp, ff, fs = fp + p, ff + f, fs + s
        per_file.append((path, fp, ff, fs))
        passed, failed, skipped = passed + fp, failed + ff, skipped + fs
    for path, fp, ff, fs in per_file:
        print(f"  {path}: {fp} passed, {ff} failed, {fs} skipped")
    if skipped:
        print(f"{passed} passed, {failed} failed, {skipped} skipped")
    else:
        print(f"{passed} passed, {failed} failed")
    return 1 if failed or not per_file else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
