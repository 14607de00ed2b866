"""Running an image under QEMU with the insncount plugin and reading its report.

Used by tools/count-insns and tools/insncount/selftest.py (standard library only; run with
/usr/bin/python3). A preset's build writes build/<preset>/targets/bench/insn_bench.json with the
runner (targets/cortex-m/run-qemu.sh <board>, or qemu-<arch> with its options), nm, the plugin
and the images."""
import json
import os
import shutil
import subprocess
import tempfile

EM_ARM, EM_AARCH64 = 40, 183


class Error(Exception):
    pass


def load_config(path):
    if not os.path.exists(path):
        raise Error(f"{path} does not exist: configure the preset first (cmake --preset <name>)")
    with open(path) as f:
        return json.load(f)


def elf_machine(elf):
    with open(elf, "rb") as f:
        head = f.read(20)
    if head[:4] != b"\x7fELF":
        raise Error(f"{elf} is not an ELF file")
    return int.from_bytes(head[18:20], "little")


def functions(nm, elf):
    """Every defined function with a size, as [(lo, hi, name)] sorted by address, names demangled.
    A Thumb function's symbol value has bit 0 set (binutils nm clears it; cleared here in any
    case): the range starts at the even address."""
    if not shutil.which(nm):
        raise Error(f"'{nm}' not found (the preset's nm; install the cross binutils: tools/setup-deps.sh --arm)")
    if not os.path.exists(elf):
        raise Error(f"{elf} does not exist: build the preset first")
    thumb = elf_machine(elf) == EM_ARM
    out = subprocess.run([nm, "-S", "-C", "--defined-only", elf], check=True, capture_output=True,
                         text=True).stdout
    seen, result = set(), []
    for line in out.splitlines():
        parts = line.split(maxsplit=3)
        if len(parts) != 4 or parts[2] not in ("T", "t", "W", "w"):
            continue
        lo, size = int(parts[0], 16), int(parts[1], 16)
        if thumb:
            lo &= ~1
        if size == 0 or lo in seen:
            continue
        seen.add(lo)
        result.append((lo, lo + size, parts[3]))
    result.sort()
    return result


def find(funcs, name):
    for lo, hi, n in funcs:
        if n == name:
            return lo, hi
    raise Error(f"symbol '{name}' not found in the image (nm -S lists no function of that name)")


def parse_report(text):
    """The plugin's report -> [{'total': int, 'counts': {name: (insns, entries)}, 'other': int}]."""
    windows, warnings, complete = [], [], False
    for line in text.splitlines():
        f = line.split(" ")
        if f[0] == "window":
            windows.append({"total": int(f[3]), "counts": {}, "other": 0})
        elif f[0] == "count":
            name = line.split(" ", 6)[6]
            windows[int(f[1])]["counts"][name] = (int(f[2]), int(f[3]))
        elif f[0] == "other":
            windows[int(f[1])]["other"] = int(f[2])
        elif f[0] == "warning":
            warnings.append(line)
        elif f[0] == "end":
            complete = True
    if not complete:
        raise Error("the plugin's report is incomplete (QEMU stopped before its exit callback?)")
    return windows, warnings


def run(cfg, elf, funcs, markers=("twolayer_bench_begin", "twolayer_bench_end"), timeout=600):
    """Runs elf under QEMU with the plugin counting every function in funcs, inside the marker
    windows. Returns (the image's stdout, windows, warnings)."""
    plugin = cfg["plugin"]
    if not plugin or not os.path.exists(plugin):
        raise Error(f"QEMU plugin '{plugin}' not found: build the preset (target insncount_plugin)")
    runner = list(cfg["runner"])
    qemu = "qemu-system-arm" if os.path.basename(runner[0]) == "run-qemu.sh" else runner[0]
    if not shutil.which(qemu):
        raise Error(f"'{qemu}' not found: install QEMU (tools/setup-deps.sh --arm)")
    with tempfile.TemporaryDirectory(prefix="insncount") as tmp:
        ranges_file = os.path.join(tmp, "ranges.txt")
        report_file = os.path.join(tmp, "report.txt")
        with open(ranges_file, "w") as f:
            for lo, hi, name in funcs:
                f.write(f"0x{lo:x} 0x{hi:x} {name}\n")
        arg = f"{plugin},ranges={ranges_file},out={report_file}"
        if markers:
            arg += ",begin=0x%x,end=0x%x" % (find(funcs, markers[0])[0], find(funcs, markers[1])[0])
        if arg.count(",") != (4 if markers else 2):
            raise Error(f"a path contains a comma, which QEMU's -plugin option cannot take: {arg}")
        env = dict(os.environ)
        if os.path.basename(runner[0]) == "run-qemu.sh":
            env["QEMU_EXTRA_ARGS"] = f"-plugin {arg}"
            env["QEMU_TIMEOUT"] = str(timeout)
            cmd = runner + [elf]
        else:
            cmd = [runner[0], "-plugin", arg] + runner[1:] + [elf]
        try:
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout + 10)
        except subprocess.TimeoutExpired:
            raise Error(f"{' '.join(cmd)}: no exit within {timeout} s")
        if p.returncode != 0:
            raise Error(f"{' '.join(cmd)} exited with {p.returncode}\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
        if not os.path.exists(report_file):
            raise Error(f"the plugin wrote no report; QEMU said:\n{p.stderr[-2000:]}")
        with open(report_file) as f:
            windows, warnings = parse_report(f.read())
    return p.stdout, windows, warnings
