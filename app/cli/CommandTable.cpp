#include "Commands.h"

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
  };
  return table;
}

}  // namespace cli
