"""End-to-end tests of `twolayer export`:
(a) from `twolayer train --save-weights`: exit 0, the header's comment (the command, sizes,
    format), its arrays hold exactly the .npy values (--format double: the decimal literals read
    back to the float64 bits), and the command in the comment writes the same bytes again;
(b) from a weight blob written here byte by byte (float, both biases): format and activation
    taken from the blob, the biases exported, the values exact;
(c) bad input: exit 2, one line naming the option, no file left behind (and an existing header
    unchanged): missing or contradicting sources, names that are not C++ namespaces, unknown
    formats and activations, a missing or mismatched .npy file, NaN, values out of a format's
    range, a corrupt, truncated or foreign blob, --activation against the blob's, --out in a
    missing directory.
Usage: test_cli_export.py PATH_TO_TWOLAYER"""
import os
import re
import struct
import sys
import zlib

from cli_check import check, expect_bad_input, finish, run, temp_dir

tool = sys.argv[1]


def write_npy(path, shape, values, descr="<f8"):
    """A version 1.0 .npy file of float64 (or float32) values in C order."""
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, ", ".join(str(s) for s in shape) if len(shape) != 1 else f"{shape[0]},")
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    fmt = "<%d%s" % (len(values), "d" if descr == "<f8" else "f")
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + struct.pack(fmt, *values))


def read_npy_f8(path):
    """The values of a float64 .npy file in C order (what `twolayer train` writes)."""
    with open(path, "rb") as f:
        data = f.read()
    hlen = struct.unpack("<H", data[8:10])[0]
    check(b"'<f8'" in data[10:10 + hlen], f"{path}: not float64")
    body = data[10 + hlen:]
    return list(struct.unpack("<%dd" % (len(body) // 8), body))


def array_literals(header, name):
    """The literal texts of `inline constexpr storage NAME[...] = { ... };`."""
    m = re.search(r"inline constexpr storage %s\[[^\]]*\] = \{(.*?)\};" % name, header, re.S)
    return [t.strip() for t in m.group(1).split(",")] if m else []


def blob(n, p, values, activation_id=4, biases=3, storage=2):
    """A float weight blob (io/blob_format.hpp): header, payload W v b c, CRC-32."""
    payload = struct.pack("<%df" % len(values), *values)
    head = b"TLWB" + struct.pack("<HHBBBBB3xIIII", 1, 0, storage, 2, 4, activation_id, biases, n, p, 0, len(payload))
    body = head + payload
    return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)


with temp_dir() as d:
    # (a) a trained network, exported as double and as float
    code, _, err = run(tool, ["train", "--N", "12", "--P", "3", "--t-max", "5", "--quiet", "--save-weights", d,
                              "--out", os.path.join(d, "run.csv")])
    check(code == 0, f"(a) train exit {code}: {err}")
    chain = os.path.join(d, "chain_0")
    args = ["export", "--weights", "chain_0", "--format", "double", "--activation", "erf", "--name", "my::net",
            "--out", "net.hpp"]
    code, so, err = run(tool, args, cwd=d)
    check(code == 0 and "N = 12, P = 3, double, erf" in so, f"(a) exit {code}: {so!r} {err!r}")
    with open(os.path.join(d, "net.hpp")) as f:
        text = f.read()
    check("//   twolayer " + " ".join(args) + "\n" in text, "(a) the command is not in the comment")
    for needle in ["#pragma once", "namespace my::net {", "using format = double;", "using activation = twolayer::act::erf;",
                   "N = 12;", "P = 3;", "N = 12 inputs, P = 3 hidden units", "hidden biases no, output bias no",
                   "twolayer::flash_weights<format, N, P> weights{twolayer::mat_view<const storage, P, N>(W), v, {}, nullptr};",
                   "using flash_network = twolayer::flash_network<format, N, P, activation>;"]:
        check(needle in text, f"(a) the header lacks {needle!r}")
    check(not re.search(r"storage [bc]\b", text), "(a) biases exported that the network does not have")
    for name, file in [("W", "W.npy"), ("v", "v.npy")]:
        want = read_npy_f8(os.path.join(chain, file))
        got = [float(t) for t in array_literals(text, name)]
        check(len(got) == len(want) and all(struct.pack("<d", a) == struct.pack("<d", b) for a, b in zip(got, want)),
              f"(a) {name}: {len(got)} literals differ from {file}")
    with open(os.path.join(d, "net.hpp"), "rb") as f:
        first = f.read()
    os.remove(os.path.join(d, "net.hpp"))
    run(tool, args, cwd=d)  # the command of the comment, again
    with open(os.path.join(d, "net.hpp"), "rb") as f:
        check(f.read() == first, "(a) the same command wrote another header")
    code, so, err = run(tool, ["export", "--weights", chain, "--activation", "erf", "--name", "n", "--out",
                               os.path.join(d, "default.hpp")])
    with open(os.path.join(d, "default.hpp")) as f:
        check(code == 0 and "using format = double;" in f.read(), f"(a) float64 files: default format not double: {err}")

    # (b) a blob: tanh, both biases, float; exported in its own format, then as f16
    n, p = 3, 2
    values = [0.5, -1.25, 0.1, 2.0, -0.0, 1.0 / 3.0, 1.5, -0.75, 0.125, -0.5, 0.0625]
    bpath = os.path.join(d, "net.blob")
    with open(bpath, "wb") as f:
        f.write(blob(n, p, values))
    out = os.path.join(d, "blob.hpp")
    code, so, err = run(tool, ["export", "--blob", bpath, "--name", "board", "--out", out])
    check(code == 0 and "N = 3, P = 2, float, tanh" in so, f"(b) exit {code}: {so!r} {err!r}")
    with open(out) as f:
        text = f.read()
    floats = [struct.unpack("<f", struct.pack("<f", x))[0] for x in values]
    as_float = lambda t: struct.unpack("<f", struct.pack("<f", float(t.rstrip("f"))))[0]
    got = [as_float(t) for t in array_literals(text, "W") + array_literals(text, "v") + array_literals(text, "b")]
    check(got == floats[:10] and "-0.0f" in text, f"(b) arrays {got}")
    m = re.search(r"inline constexpr storage c = (\S+)f;", text)
    check(m is not None and float(m.group(1)) == 0.0625, "(b) c")
    check("using activation = twolayer::act::tanh;" in text and "hidden biases yes, output bias yes" in text
          and "weights{twolayer::mat_view<const storage, P, N>(W), v, b, &c};" in text, "(b) the header's biases")
    code, _, err = run(tool, ["export", "--blob", bpath, "--format", "f16", "--name", "board", "--out", out])
    with open(out) as f:
        text = f.read()
    check(code == 0 and "twolayer::f16::from_bits(0x3800)" in text and "twolayer::f16::from_bits(0x8000)" in text,
          f"(b) as f16: {err}")

    # (c) bad input
    bad = os.path.join(d, "bad")
    os.mkdir(bad)
    write_npy(os.path.join(bad, "W.npy"), [2, 3], [0.5, 1, 2, 3, 4, 5])
    write_npy(os.path.join(bad, "v.npy"), [3], [1, 1, 1])  # P = 2 in W.npy
    nan_dir = os.path.join(d, "nan")
    os.mkdir(nan_dir)
    write_npy(os.path.join(nan_dir, "W.npy"), [2, 3], [0.5, 1, float("nan"), 3, 4, 5])
    write_npy(os.path.join(nan_dir, "v.npy"), [2], [1, 1])
    big = os.path.join(d, "big")
    os.mkdir(big)
    write_npy(os.path.join(big, "W.npy"), [1, 2], [0.5, 70000.0])
    write_npy(os.path.join(big, "v.npy"), [1], [8.0])
    write_npy(os.path.join(big, "c.npy"), [], [1e39])
    good = os.path.join(d, "good")
    os.mkdir(good)
    write_npy(os.path.join(good, "W.npy"), [1, 2], [0.5, 1.0], "<f4")
    write_npy(os.path.join(good, "v.npy"), [1], [1.0], "<f4")
    write_npy(os.path.join(good, "b.npy"), [2], [1.0, 2.0])  # P = 1
    with open(bpath, "rb") as f:
        blob_bytes = f.read()
    corrupt, short, foreign = (os.path.join(d, x) for x in ("corrupt.blob", "short.blob", "foreign.blob"))
    with open(corrupt, "wb") as f:
        f.write(blob_bytes[:40] + bytes([blob_bytes[40] ^ 1]) + blob_bytes[41:])
    with open(short, "wb") as f:
        f.write(blob_bytes[:-3])
    with open(foreign, "wb") as f:
        f.write(b"\x7fELF" + blob_bytes[4:])
    target = os.path.join(d, "out.hpp")
    name = ["--name", "net"]
    W = ["--weights", chain, "--activation", "erf"]
    cases = [
        (name, "--weights DIR or --blob FILE"),
        (W + ["--blob", bpath] + name, "--weights"),
        (W, "--name"),
        (W + ["--name", "1net"], "--name 1net: not a C++ namespace name: '1net' starts with a digit"),
        (W + ["--name", "class"], "'class' is a C++ keyword"),
        (W + ["--name", "a::"], "--name a::: not a C++ namespace name: an empty name"),
        (W + ["--name", "a-b"], "'a-b' holds '-'"),
        (W + ["--name", "__net"], "reserved"),
        (W + ["--name", "_Net"], "reserved"),
        (W + ["--name", "std::x"], "the namespace std is taken"),
        (W + ["--name", "twolayer"], "the namespace twolayer is taken"),
        (W + name + ["--format", "f32"], "--format"),
        (["--weights", chain, "--activation", "softsign"] + name, "--activation"),
        (["--weights", chain] + name, "--activation: required with --weights"),
        (["--weights", d, "--activation", "erf"] + name, "W.npy"),
        (["--weights", bad, "--activation", "erf"] + name, "v.npy: wrong shape (expected (2,), found (3,))"),
        (["--weights", good, "--activation", "erf"] + name, "b.npy: wrong shape (expected (1,), found (2,))"),
        (["--weights", nan_dir, "--activation", "erf"] + name, "element (0, 2) is not finite"),
        (["--weights", big, "--activation", "erf", "--format", "f16"] + name,
         "--format f16: W(0, 1) = 70000 is out of f16's range [-65504, 65504]"),
        (["--weights", big, "--activation", "erf", "--format", "q3_12"] + name, "--format q3_12: W(0, 1) = 70000"),
        (["--weights", big, "--activation", "erf", "--format", "float"] + name, "--format float: c = 1e+39 is out of float's range"),
        (["--blob", os.path.join(d, "none.blob")] + name, "--blob"),
        (["--blob", corrupt] + name, "checksum mismatch"),
        (["--blob", short] + name, "truncated"),
        (["--blob", foreign] + name, "bad magic"),
        (["--blob", bpath, "--activation", "erf"] + name, "--activation erf: the blob's network uses tanh"),
        (W + name + ["--out", os.path.join(d, "no", "such", "dir.hpp")], "--out"),
    ]
    for args, expected in cases:
        out_args = [] if "--out" in args else ["--out", target]
        line = expect_bad_input(tool, "export", args + out_args, d, target)
        check(expected in line, f"(c) {args}: {line!r} does not say {expected!r}")
    # --out is required too
    line = expect_bad_input(tool, "export", W + name, d, target)
    check("--out" in line, f"(c) no --out: {line!r}")
    # an existing header is left as it was
    with open(target, "wb") as f:
        f.write(b"// the previous header\n")
    expect_bad_input(tool, "export", ["--weights", nan_dir, "--activation", "erf"] + name + ["--out", target], d, target,
                     keep=b"// the previous header\n")

    code, so, _ = run(tool, ["export", "--help"])
    check(code == 0 and "--weights" in so and "--blob" in so and "flash_network" in so, "--help")

finish("test_cli_export")
