"""Round trips of .npy files between NumPy and the tool's reader and writer (tests/tool/npy_io_helper).

NumPy -> us: NumPy writes float32/float64 (both byte orders), ints, C and Fortran order, header
versions 1.0, 2.0 and 3.0, shapes (), (0,), (3,), (2, 3), (2, 3, 4); the helper prints what it read,
which must be the same dtype, shape and values bit for bit.
us -> NumPy: the helper writes values given as text; np.load must give the same dtype, shape and
values (float32: the values cast as NumPy casts), version 1.0, data aligned to 64 bytes.

usage: npy_numpy_round_trip.py HELPER WORKDIR
"""
import io
import os
import shutil
import subprocess
import sys

import numpy as np

HELPER, WORK = sys.argv[1], sys.argv[2]
SHAPES = [(), (0,), (3,), (2, 3), (2, 3, 4)]
failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def same_values(a, b):
    """Equal bit for bit, NaN payloads aside (the helper prints any NaN as 'nan')."""
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        return False
    nan = np.isnan(a)
    return bool(np.array_equal(nan, np.isnan(b)) and np.array_equal(a[~nan].view(np.uint64), b[~nan].view(np.uint64)))


def sample(shape, rng, dtype):
    """Random values of dtype's range with the awkward ones among them: -0, a subnormal, inf, nan,
    the largest finite value."""
    n = int(np.prod(shape))
    v = rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)
    specials = [-0.0, 5e-324, np.inf, -np.nan, 1.0 / 3, -float(np.finfo(dtype).max)]
    for i, s in enumerate(specials[:n]):
        v[i] = s
    return v.reshape(shape)


def dump(path):
    out = subprocess.run([HELPER, "dump", path], capture_output=True, text=True)
    if out.returncode != 0:
        return None, None, None, out.stderr.strip()
    lines = out.stdout.splitlines()
    head = lines[0].split()
    return head[0], tuple(int(d) for d in head[1:]), [float(x) for x in lines[1:]], ""


def numpy_to_us(rng):
    cases = []
    for dtype in ["<f4", "<f8", ">f4", ">f8"]:
        for shape in SHAPES:
            for version in [(1, 0), (2, 0), (3, 0)]:
                cases.append((sample(shape, rng, dtype).astype(dtype), version, "C"))
            if len(shape) >= 2:
                cases.append((np.asfortranarray(sample(shape, rng, dtype).astype(dtype)), (1, 0), "F"))
    for dtype in ["<i4", ">i4", "<i8", ">i8", "|i1", "|u1"]:
        info = np.iinfo(dtype)
        lo, hi = max(info.min, -2**53), min(info.max, 2**53)
        cases.append((rng.integers(lo, hi, (2, 3), endpoint=True).astype(dtype), (1, 0), "C"))
    for i, (a, version, order) in enumerate(cases):
        path = os.path.join(WORK, "numpy_%d.npy" % i)
        with open(path, "wb") as f:
            np.lib.format.write_array(f, a, version=version)
        if order == "F":  # NumPy writes a Fortran-contiguous array as fortran_order True
            with open(path, "rb") as f:
                np.lib.format.read_magic(f)
                check(np.lib.format.read_array_header_1_0(f)[1], "%s: NumPy wrote fortran_order True" % path)
        label = "%s %s %s v%d.%d %s" % (path, a.dtype.str, a.shape, version[0], version[1], order)
        descr, shape, values, err = dump(path)
        check(err == "", "%s: read failed: %s" % (label, err))
        if err:
            continue
        check(descr == a.dtype.newbyteorder("<").str, "%s: dtype %s" % (label, descr))
        check(shape == a.shape, "%s: shape %s" % (label, shape))
        check(same_values(values, a.astype(np.float64)), "%s: values differ" % label)
    return len(cases)


def us_to_numpy(rng):
    n = 0
    for dtype in ["<f4", "<f8"]:
        for shape in SHAPES:
            v = sample(shape, rng, dtype)
            path = os.path.join(WORK, "ours_%s_%d.npy" % (dtype[1:], len(shape) * 10 + int(np.prod(shape))))
            text = "\n".join(repr(float(x)) for x in v.ravel())
            out = subprocess.run([HELPER, "write", path, dtype[1:]] + [str(d) for d in shape],
                                 input=text, capture_output=True, text=True)
            label = "%s %s %s" % (path, dtype, shape)
            check(out.returncode == 0, "%s: write failed: %s" % (label, out.stderr.strip()))
            if out.returncode != 0:
                continue
            expected = v.astype(dtype)
            a = np.load(path, allow_pickle=False)
            check(a.dtype.str == dtype, "%s: NumPy reads dtype %s" % (label, a.dtype.str))
            check(a.shape == shape, "%s: NumPy reads shape %s" % (label, a.shape))
            check(same_values(a, expected), "%s: NumPy reads other values" % label)
            with open(path, "rb") as f:
                check(np.lib.format.read_magic(f) == (1, 0), "%s: version 1.0" % label)
                np.lib.format.read_array_header_1_0(f)
                check(f.tell() % 64 == 0, "%s: data at offset %d, not a multiple of 64" % (label, f.tell()))
            m = np.load(path, mmap_mode="r")
            check(same_values(m, expected), "%s: memory-mapped values differ" % label)
            n += 1
    return n


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    rng = np.random.default_rng(14)
    read_cases = numpy_to_us(rng)
    write_cases = us_to_numpy(rng)
    # A double outside float32's range: refused, and no file left.
    path = os.path.join(WORK, "too_big.npy")
    out = subprocess.run([HELPER, "write", path, "f4", "2"], input="1 1e300", capture_output=True, text=True)
    check(out.returncode == 2 and "outside float32's range" in out.stderr, "1e300 as f4: %r" % out.stderr)
    check(not os.path.exists(path), "1e300 as f4 left a file")
    print("%d NumPy-written files read, %d files written for NumPy" % (read_cases, write_cases))
    print("%d passed, %d failed" % (checks - len(failures), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
