#!/usr/bin/python3
"""Writes fuzz_npy's seed corpus into the directory given (tests/fuzz/corpus/fuzz_npy): .npy files
saved by NumPy in every dtype and layout the reader takes (both byte orders, Fortran order, rank 0,
an empty extent, format version 2.0), and a few it must refuse (cut short, trailing bytes, a bad
magic, an unknown key). Deterministic: the committed corpus is what it writes."""
import io
import pathlib
import sys

import numpy as np


def saved(a, version=None):
    buf = io.BytesIO()
    if version is None:
        np.save(buf, a)
    else:
        np.lib.format.write_array(buf, a, version=version)
    return buf.getvalue()


def main(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    good = {
        "f8_2x3": np.arange(6, dtype="<f8").reshape(2, 3) / 7,
        "f4_3": np.array([1.5, -0.0, np.inf], dtype="<f4"),
        "f8_big_nan": np.array([np.nan, 1e300, -2.0], dtype=">f8"),
        "i1_4": np.array([-128, 0, 5, 127], dtype="i1"),
        "u1_2x2": np.array([[0, 255], [7, 8]], dtype="u1"),
        "i4_big": np.array([-(2**31), 2**31 - 1], dtype=">i4"),
        "i8_3": np.array([2**53, -(2**53), 3], dtype="<i8"),
        "fortran_3x2": np.asfortranarray(np.arange(6, dtype="<f8").reshape(3, 2)),
        "scalar": np.array(3.25),
        "empty_0x5": np.zeros((0, 5)),
    }
    files = {name + ".npy": saved(a) for name, a in good.items()}
    files["v2_f8_2.npy"] = saved(np.array([1.0, 2.0]), version=(2, 0))
    whole = files["f8_2x3.npy"]
    files["bad_truncated.npy"] = whole[:-3]
    files["bad_trailing.npy"] = whole + b"\x00"
    files["bad_magic.npy"] = b"\x93NUMPZ" + whole[6:]
    files["bad_key.npy"] = whole.replace(b"'shape'", b"'shapf'")
    files["bad_i8_inexact.npy"] = saved(np.array([2**53 + 1], dtype="<i8"))
    for name, data in files.items():
        (out / name).write_bytes(data)
    print(f"make_npy_corpus: {len(files)} files in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_npy_corpus.py DIR")
    main(sys.argv[1])
