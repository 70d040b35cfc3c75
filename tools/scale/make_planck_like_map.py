#!/usr/bin/python3
"""Writes a Planck-layout HEALPix map of white noise for trying SkyInterpret at real scale:
NESTED, float32, columns I_STOKES, Q_STOKES, U_STOKES and TMASK, unit K_CMB, like Planck's
released CMB maps (white noise is enough for speed and memory). Needs Debian's healpy
(`packaging/install-deps.sh --fixtures`, run with /usr/bin/python3); the product never does.

    /usr/bin/python3 tools/scale/make_planck_like_map.py NSIDE OUT.fits [--seed S]

nside 1024 writes a 200 MB file, nside 2048 an 800 MB one.
"""
import argparse

import healpy as hp
import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("nside", type=int)
parser.add_argument("out")
parser.add_argument("--seed", type=int, default=1)
args = parser.parse_args()
rng = np.random.default_rng(args.seed)
npix = hp.nside2npix(args.nside)
t = rng.normal(0.0, 100e-6, npix).astype(np.float32)
q = rng.normal(0.0, 1e-6, npix).astype(np.float32)
u = rng.normal(0.0, 1e-6, npix).astype(np.float32)
# A galactic-plane-like confidence mask: |b| < 10 degrees is masked (0), the rest kept (1).
theta, _ = hp.pix2ang(args.nside, np.arange(npix), nest=True)
tmask = (np.abs(np.degrees(np.pi / 2 - theta)) > 10).astype(np.float32)
hp.write_map(args.out, [t, q, u, tmask], nest=True, dtype=np.float32, overwrite=True,
             column_names=["I_STOKES", "Q_STOKES", "U_STOKES", "TMASK"], column_units=["K_CMB"] * 3 + [""])
print(f"wrote {args.out}: nside {args.nside}, {npix} pixels x 4 columns (NESTED, float32, K_CMB)")
