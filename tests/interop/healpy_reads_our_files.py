#!/usr/bin/python3
"""Interop check: FITS files written by skyinterpret-cli open unchanged in healpy.read_map.

Registered with ctest only where Debian's python3-healpy is installed (packaging/install-deps.sh
--fixtures); the product itself never needs Python.
usage: healpy_reads_our_files.py CLI DATA_DIR SCRATCH_DIR
"""
import os
import subprocess
import sys

import healpy as hp
import numpy as np

cli, data, scratch = sys.argv[1:4]
os.makedirs(scratch, exist_ok=True)


def run(*args):
    subprocess.run([cli, *args], check=True)


failures = 0
for image, nside, extra in [("img_32x64.npy", 16, []), ("reproj_img_3x24x48.npy", 8, []),
                            ("reproj_img_3x24x48.npy", 64, ["--float32"])]:
    fits = os.path.join(scratch, f"{image}_{nside}_{len(extra)}.fits")
    npy = fits + ".npy"
    run("reproject", os.path.join(data, image), "--nside", str(nside), "-o", fits, "--npy-out", npy, "--force", *extra)
    ours = np.load(npy)
    theirs = np.atleast_2d(hp.read_map(fits, field=None, dtype=None))
    tol = 1e-6 if extra else 0.0
    ok = theirs.shape == ours.shape and np.max(np.abs(theirs - ours)) <= tol * np.max(np.abs(ours))
    print(("ok  " if ok else "FAIL"), fits, theirs.shape)
    failures += not ok

# Projection of a healpy-written NESTED map equals healpy's own cartview.
m = hp.read_map(os.path.join(data, "t_n32_nest_f64.fits"), nest=False)
img = os.path.join(scratch, "nest.npy")
run("project", os.path.join(data, "t_n32_nest_f64.fits"), "--xsize", "90", "-o", img, "--force")
ref = hp.cartview(m, xsize=90, return_projected_map=True, flip="astro")
ok = np.array_equal(np.load(img)[0], np.asarray(ref))
print(("ok  " if ok else "FAIL"), "cartview of a NESTED map")
failures += not ok
print(f"{3 + 1 - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
