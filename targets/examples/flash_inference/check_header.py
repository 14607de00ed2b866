"""The flash-inference example's header never goes stale (ctest flash_inference_header, host
preset): runs regenerate.sh --export-only on a copy of the committed weights in a temporary
directory (so the tool's command line, and the comment it writes, are the committed ones) and
requires the header it writes to equal the committed flash_demo_net.hpp byte for byte.
usage: check_header.py PATH_TO_TWOLAYER EXAMPLE_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile

tool, example = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory(prefix="twolayer-flash-header-") as d:
    shutil.copytree(os.path.join(example, "weights"), os.path.join(d, "weights"))
    shutil.copy(os.path.join(example, "regenerate.sh"), d)
    run = subprocess.run(["sh", os.path.join(d, "regenerate.sh"), tool, "--export-only"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"regenerate.sh --export-only exited {run.returncode}: {run.stderr}")
    with open(os.path.join(d, "flash_demo_net.hpp"), "rb") as f:
        fresh = f.read()
    with open(os.path.join(example, "flash_demo_net.hpp"), "rb") as f:
        committed = f.read()
    if fresh != committed:
        sys.exit("flash_demo_net.hpp differs from what `twolayer export` writes from weights/: run "
                 "targets/examples/flash_inference/regenerate.sh PATH_TO_TWOLAYER --export-only and commit it")
    print(f"flash_demo_net.hpp: the {len(committed)} bytes `twolayer export` writes from weights/")
