#!/usr/bin/python3
"""Interop check: models SkyInterpret trains load in Python's torch.jit.load with the same
outputs (here the shipped demo model, evaluated by skyinterpret-cli explain).
usage: torch_loads_our_models.py CLI MODEL.pt SCRATCH_DIR"""
import json
import os
import subprocess
import sys

import numpy as np
import torch

cli, model_path, scratch = sys.argv[1:4]
os.makedirs(scratch, exist_ok=True)
x = np.random.default_rng(0).normal(size=(4, 1, 64, 128)).astype(np.float32)
np.save(os.path.join(scratch, "x.npy"), x)
out = os.path.join(scratch, "s.npy")
subprocess.run([cli, "explain", "--model", model_path, "--input", os.path.join(scratch, "x.npy"), "--method", "saliency", "--no-preprocess",
                "-o", out, "--force"], check=True)
ours = np.array(json.load(open(os.path.join(scratch, "s.json")))["outputs"]).ravel()
model = torch.jit.load(model_path)
model.eval()
with torch.no_grad():
    theirs = model(torch.from_numpy(x)).numpy().ravel()
err = np.max(np.abs(ours - theirs)) / max(np.max(np.abs(theirs)), 1e-12)
ok = err < 1e-5
print("ok  " if ok else "FAIL", "torch.jit.load outputs vs SkyInterpret:", err)
print(f"{int(ok)} passed, {int(not ok)} failed")
sys.exit(0 if ok else 1)
