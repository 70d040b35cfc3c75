#!/usr/bin/python3
"""Compares partition-healpix Owen values (born on the sphere at the tree nside) with image
Partition values summed over the image pixels that sample inside each coarse pixel.

usage: partition_healpix_vs_image.py SPHERE.npy IMAGE.npy TREE_NSIDE
SPHERE.npy: (1, K, 12 N^2) RING; IMAGE.npy: (1, K, C, H, W) from explain --method partition.
Prints Pearson and Spearman correlations and the share of |value| in the top 10% of pixels.
"""
import sys

import healpy as hp
import numpy as np


def coarse_sums(image, nside):
    _, _, channels, height, width = image.shape
    lat = np.linspace(-90, 90, height)          # cartview rows, south first
    lon = np.linspace(180, -180, width)         # astro flip: +180 at column 0
    lon_grid, lat_grid = np.meshgrid(lon, lat)
    pix = hp.ang2pix(nside, lon_grid, lat_grid, lonlat=True)  # RING
    summed = image[0].sum(axis=1)  # (K, H, W): a player holds every channel
    out = np.zeros((summed.shape[0], hp.nside2npix(nside)))
    for k in range(summed.shape[0]):
        np.add.at(out[k], pix.ravel(), summed[k].ravel())
    return out


def ranks(v):
    r = np.empty(len(v))
    r[np.argsort(v)] = np.arange(len(v))
    return r


def main():
    sphere = np.load(sys.argv[1])[0]
    image = np.load(sys.argv[2])
    nside = int(sys.argv[3])
    summed = coarse_sums(image, nside)
    for k in range(sphere.shape[0]):
        a, b = sphere[k], summed[k]
        pearson = np.corrcoef(a, b)[0, 1]
        spearman = np.corrcoef(ranks(a), ranks(b))[0, 1]
        top = np.argsort(-np.abs(a))[: len(a) // 10]
        print(f"target {k}: pearson {pearson:.3f} spearman {spearman:.3f} "
              f"sum sphere {a.sum():.4g} sum image {b.sum():.4g} "
              f"top-10% share sphere {np.abs(a[top]).sum() / np.abs(a).sum():.2f}")


if __name__ == "__main__":
    main()
