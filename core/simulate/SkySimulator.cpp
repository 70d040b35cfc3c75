#include "simulate/SkySimulator.h"

#include <healpix_cxx/alm.h>
#include <healpix_cxx/alm_healpix_tools.h>
#include <healpix_cxx/alm_powspec_tools.h>
#include <healpix_cxx/healpix_base.h>
#include <healpix_cxx/healpix_map.h>
#include <healpix_cxx/planck_rng.h>
#include <healpix_cxx/powspec.h>

#include <cmath>
#include <numbers>
#include <random>

#include "io/HealpixFits.h"
#include "sky/HarmonicFilters.h"
#include "sky/Resample.h"
#include "util/Error.h"

namespace sky {
namespace {

arr<double> toArr(const std::vector<double>& v, int lmax) {
  arr<double> a(lmax + 1);
  for (int l = 0; l <= lmax; ++l) a[l] = v[l];
  return a;
}

std::vector<double> values(const Healpix_Map<double>& m) {
  return std::vector<double>(m.Map().begin(), m.Map().begin() + m.Npix());
}

}  // namespace

std::vector<double> buildMask(const MaskSpec& mask, int nside) {
  std::vector<double> keep(npixForNside(nside), 1.0);
  if (mask.latitudeCutDeg < 0 || mask.latitudeCutDeg >= 90) {
    throw SkyError(ErrorKind::InvalidArgument, "the latitude cut must be in [0, 90) degrees");
  }
  if (mask.latitudeCutDeg > 0) {
    const T_Healpix_Base<int64_t> base(nside, RING, SET_NSIDE);
    const double cut = mask.latitudeCutDeg * std::numbers::pi / 180.0;
    for (int64_t p = 0; p < base.Npix(); ++p) {
      if (std::abs(std::numbers::pi / 2 - base.pix2ang(p).theta) < cut) keep[p] = 0.0;
    }
  }
  if (mask.file) {
    if (!(mask.threshold > 0 && mask.threshold <= 1))
      throw SkyError(ErrorKind::InvalidArgument, "mask threshold must be in (0, 1]");
    const SkyMap file = udGrade(readHealpixFits(*mask.file), nside).toOrdering(Ordering::Ring);
    const auto m = file.field(0);
    for (size_t p = 0; p < keep.size(); ++p) {
      if (isMasked(m[p]) || m[p] < mask.threshold) keep[p] = 0.0;  // re-binarise the degraded mask
    }
  }
  return keep;
}

SkyMap simulateSky(const TheorySpectra& spectra, const SkyOptions& o) {
  if (!isValidNside(o.nside) || o.nside > 4096) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "nside " + std::to_string(o.nside) + " is not a power of two up to 4096");
  }
  if (!(o.noiseMicroKArcmin >= 0) || !std::isfinite(o.noiseMicroKArcmin)) {
    throw SkyError(ErrorKind::InvalidArgument, "noise must be a finite non-negative uK-arcmin value");
  }
  const int lmax = std::min(o.lmax < 0 ? 3 * o.nside - 1 : o.lmax, spectra.lmax());
  if (lmax < 2) throw SkyError(ErrorKind::InvalidArgument, "lmax must be at least 2");
  // planck_rng takes 32-bit seeds: fold the 64-bit seed into them.
  planck_rng rng(static_cast<unsigned>(o.seed * 2654435761u + 1u), static_cast<unsigned>(o.seed >> 32) + 362436069u);
  std::vector<double> beamT(lmax + 1, 1.0), beamP(lmax + 1, 1.0);
  if (o.beamFwhmArcmin > 0) {
    beamT = gaussianBeam(o.beamFwhmArcmin, lmax, false);
    beamP = gaussianBeam(o.beamFwhmArcmin, lmax, true);
  }
  std::vector<std::vector<double>> fields;
  Alm<xcomplex<double>> t(lmax, lmax), e(lmax, lmax), b(lmax, lmax);
  if (o.polarised) {
    arr<double> tt = toArr(spectra.tt, lmax), ee = toArr(spectra.ee, lmax), bb = toArr(spectra.bb, lmax),
                te = toArr(spectra.te, lmax);
    PowSpec ps(4, lmax);
    ps.Set(tt, ee, bb, te);
    create_alm_pol(ps, t, e, b, rng);
    t.ScaleL(toArr(beamT, lmax));
    e.ScaleL(toArr(beamP, lmax));
    b.ScaleL(toArr(beamP, lmax));
    Healpix_Map<double> mt(o.nside, RING, SET_NSIDE), mq(o.nside, RING, SET_NSIDE), mu(o.nside, RING, SET_NSIDE);
    alm2map_pol(t, e, b, mt, mq, mu);
    fields = {values(mt), values(mq), values(mu)};
  } else {
    arr<double> tt = toArr(spectra.tt, lmax);
    PowSpec ps(1, lmax);
    ps.Set(tt);
    create_alm(ps, t, rng);
    t.ScaleL(toArr(beamT, lmax));
    Healpix_Map<double> mt(o.nside, RING, SET_NSIDE);
    alm2map(t, mt);
    fields = {values(mt)};
  }
  if (o.noiseMicroKArcmin > 0) {
    const double pixelArcmin =
        std::sqrt(4 * std::numbers::pi / npixForNside(o.nside)) * 180.0 / std::numbers::pi * 60.0;
    std::mt19937_64 noiseRng(o.seed ^ 0x9e3779b97f4a7c15ULL);
    for (size_t f = 0; f < fields.size(); ++f) {
      std::normal_distribution<double> n(0.0, o.noiseMicroKArcmin / pixelArcmin * (f == 0 ? 1.0 : std::sqrt(2.0)));
      for (double& v : fields[f]) v += n(noiseRng);
    }
  }
  if (o.mask.latitudeCutDeg > 0 || o.mask.file) {
    const std::vector<double> keep = buildMask(o.mask, o.nside);
    for (auto& field : fields)
      for (size_t p = 0; p < field.size(); ++p)
        if (keep[p] == 0.0) field[p] = o.maskedValue == MaskedValue::Zero ? 0.0 : kUnseen;
  }
  return SkyMap(o.nside, Ordering::Ring, std::move(fields), {}, "uK");
}

}  // namespace sky
