#include "Commands.h"
#include "ExplainerOptions.h"

// Commands that run a model exist in skyinterpret-cli-model only; the front end lists them
// without a function and hands them over (ModelBackend.h).
#ifdef SKY_CLI_MODEL_BACKEND
#define SKY_MODEL_COMMAND(run) run
#else
#define SKY_MODEL_COMMAND(run) nullptr
#endif

namespace cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"info", "Describe a HEALPix FITS map: nside, ordering, fields, units, masked fraction, statistics.",
       "info MAP.fits [--json]", runInfo},
      {"project", "Project a map onto healpy's cartview grid (flip='astro'); writes (C, ny, nx) float64 NPY.",
       "project MAP.fits --xsize N [--fields T,Q,U] [--fill V] -o IMG.npy [--pixels-out PIX.npy] [--force]",
       runProject},
      {"reproject", "Reproject a cartview-grid image (ny, nx) or (C, ny, nx) onto HEALPix by bilinear interpolation.",
       "reproject IMG.npy --nside N -o MAP.fits [--npy-out MAP.npy] [--float32] [--force]", runReproject},
      {"spectrum", "Angular power spectrum as healpy.anafast (TT or TT,EE,BB,TE,EB,TB) to CSV.",
       "spectrum MAP.fits [--cross OTHER.fits] [--lmax L] [--iter I] [--no-pol] [--no-fsky-correction] "
       "-o CL.csv [--force]",
       runSpectrum},
      {"explain",
       "Attributions of a TorchScript classifier: SHAP Partition and Permutation (as shap), Captum-compatible "
       "gradient methods, occlusion; or exact Shapley values of feature groups (--method exact --groups channels | "
       "lbands:L0,L1,...,Ln | regions:NSIDE, at most 16 groups: an (N, K, G) .npy, groups in the sidecar); or "
       "Owen values on the HEALPix NESTED tree (--method partition-healpix --tree-nside N: a (1, K, 12 N^2) RING .npy "
       "born on the sphere).",
       "explain --model M.pt --input X.npy|MAP.fits --method " + methodNames() +
           " [method options, below] [--no-preprocess] [--threads T] [--exact-model] -o ATTR.npy "
           "[--healpix-out ATTR.fits --nside N] [--force]  |  explain --model M.pt --input MAP.fits|X.npy --method "
           "exact --groups G [--masker zero|value:V] [--batch-size B] -o VALUES.npy [--force]  |  explain --model M.pt "
           "--input MAP.fits --method partition-healpix --tree-nside N [--max-evals 500] [--batch-size 32] "
           "[--masker masked|zero|value:V] [--target all] -o VALUES.npy [--healpix-out VALUES.fits] [--force]",
       SKY_MODEL_COMMAND(runExplain)},
      {"theory",
       "Model CMB spectra (C_l in uK^2; header ell,TT,EE,BB,TE): LambdaCDM-like from parameters, optionally with the "
       "primordial oscillatory feature, or converted from a CAMB/CLASS file.",
       "theory [--feature] [--omega-b X --omega-cdm X --h X --ns X --as X --tau X] [--amp A --freq F --wid W --centre "
       "C "
       "--phase P] [--from CLS.dat --units dl-uk2|cl-uk2|dl-k2|cl-k2|dl-dimensionless --columns TT,EE,BB,TE] --lmax L "
       "-o CL.csv [--force]",
       runTheory},
      {"simulate",
       "Labelled datasets of simulated skies, LambdaCDM (label 0) and with the oscillatory feature (label 1), "
       "with a manifest.csv (file, label, seed, parameters).",
       "simulate --nside N --count K --out DIR [--demo (the demo model's skies: nside 128, 60' beam, 40 uK-arcmin "
       "noise)] [--fields T|TQU] [--seed S] [--beam "
       "FWHM_ARCMIN] [--noise UK_ARCMIN] "
       "[--mask-lat DEG | --mask MASK.fits --mask-threshold X] [--masked-value zero|unseen] [--format fits|npy|both "
       "--xsize X] [--vary NAME=MIN:MAX,...] [--grid NAME=V1/V2/...,...] [cosmology and feature parameters as in "
       "theory] [--force]",
       runSimulate},
      {"train",
       "Train the seed network's CNN (or the PCA-MLP) on a simulated dataset, as a classifier or (--task regression "
       "--targets h,amp) a moment network predicting the manifest's parameters; writes TorchScript + model card.",
       "train --data DIR -o MODEL.pt [--task classification|regression --targets P1,P2] [--arch cnn|pca-mlp] "
       "[--widths 32,64,128] [--dense 64] [--dropout 0.3] "
       "[--components 32] [--hidden 64] [--epochs 30] [--batch 32] [--lr 0.001] [--val-fraction 0.2] [--patience 6] "
       "[--seed S] [--threads T] [--preprocess per-map-zscore|none] [--xsize X --fields T|TQU] [--force]",
       SKY_MODEL_COMMAND(runTrain)},
      {"evaluate",
       "AUC, accuracy, Youden threshold and confusion matrix of a binary classifier on a dataset; for a regression "
       "network R^2, RMSE and bias per parameter and the calibration of its sigmas.",
       "evaluate --model M.pt --data DIR [-o METRICS.json] [--threads T] [--exact-model] [--force]",
       SKY_MODEL_COMMAND(runEvaluate)},
      {"ablate", "Model output, accuracy and AUC on a dataset with harmonic scales or hot/cold spots cut, over a grid.",
       "ablate --model M.pt --data DIR (--scales lowpass|highpass|remove-band --grid L1,L2,... [--band-width W] | "
       "--spots mask-hot|mask-cold|keep-hot|keep-cold --thresholds K1,K2,...) [--target K] -o CURVE.csv [--threads T] "
       "[--exact-model] [--force]",
       SKY_MODEL_COMMAND(runAblate)},
      {"sensitivity",
       "Mean |change of output| when one l-band or one sky region is perturbed with Gaussian noise, repeated.",
       "sensitivity --model M.pt --data DIR [--band-width W (default 10) -o OUT.csv | --regions NSIDE -o OUT.fits] "
       "[--amplitude A] [--noise fixed|cosmic-variance] [--repeats R] [--seed S] [--target K] [--threads T] "
       "[--exact-model] [--force]",
       SKY_MODEL_COMMAND(runSensitivity)},
      {"faithfulness", "Deletion and insertion curves of an attribution (and of a random order) with their areas.",
       "faithfulness --model M.pt --input MAP.fits|X.npy --attribution ATTR.npy|A.fits [--steps 20] [--target K] "
       "[--baseline V] [--seed S] [--threads T] [--exact-model] -o CURVES.csv [--force]",
       SKY_MODEL_COMMAND(runFaithfulness)},
      {"metrics",
       "How far one attribution can be trusted: infidelity and sensitivity-max (Captum), ROAD (remove and debias), "
       "sparseness and complexity (Quantus), as JSON.",
       "metrics --model M.pt --input MAP.fits|X.npy --attribution ATTR.npy|A.fits [--target K] [--method METHOD "
       "[method options]] [--perturbations 10] [--noise 0.003] [--radius 0.02] [--multiply-by-inputs auto|yes|no] "
       "[--baseline 0] [--road-fractions 0.1,...,0.9] [--road-noise 0.01] [--metric-seed S] [--no-preprocess] "
       "[--threads T] "
       "[--exact-model] -o OUT.json [--force]",
       SKY_MODEL_COMMAND(runMetrics)},
      {"sanity",
       "Sanity checks of an explainer (Adebayo et al.): layers re-initialised from the output towards the input, "
       "re-explained after each step; Spearman (signed and |.|), SSIM and top-fraction overlap with the original per "
       "step, and the random-logit test for several outputs.",
       "sanity --model M.pt --input MAP.fits|X.npy --method METHOD [method options] [--target K] [--top-fraction 0.1] "
       "[--randomisation-seed S] [--no-preprocess] [--threads T] [--exact-model] -o OUT.csv [--force]",
       SKY_MODEL_COMMAND(runSanity)},
      {"aggregate",
       "Explain every map of a dataset; per class: mean attribution maps, attribution spectra, where |attribution| "
       "falls.",
       "aggregate --model M.pt --data DIR --method METHOD [method options] [--nside N] [--spot-sigma K] [--band-width "
       "W] "
       "-o PREFIX (writes PREFIX_maps.fits, PREFIX_spectra.csv, PREFIX_shares.csv) [--exact-model] [--force]",
       SKY_MODEL_COMMAND(runAggregate)},
      {"batch",
       "Explain many maps or images: one result per input plus manifest.jsonl; reruns skip what is done. Under "
       "mpirun/srun the ranks share the inputs (rank 0 hands them out); --shard i/N splits them across job-array "
       "tasks.",
       "batch --model M.pt --inputs LIST|GLOB|DIR --method METHOD --outdir DIR [method options] [--nside N] [--shard "
       "i/N] "
       "[--threads T] [--exact-model]",
       SKY_MODEL_COMMAND(runBatch)},
  };
  return table;
}

}  // namespace cli
