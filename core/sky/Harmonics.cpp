#include "sky/Harmonics.h"

#include <healpix_cxx/alm.h>
#include <healpix_cxx/alm_healpix_tools.h>
#include <healpix_cxx/healpix_map.h>

#include <string>

#include "util/Error.h"

namespace sky {
namespace {

using HpAlm = Alm<xcomplex<double>>;

Healpix_Map<double> toHealpixField(const SkyMap& ringMap, int field) {
  Healpix_Map<double> out(ringMap.nside(), RING, SET_NSIDE);
  const auto values = ringMap.field(field);
  for (int64_t p = 0; p < ringMap.npix(); ++p) {
    out[static_cast<int>(p)] = isMasked(values[p]) ? 0.0 : values[p];  // healpy: bad -> 0
  }
  return out;
}

AlmComponent fromHealpix(const HpAlm& alm) {
  AlmComponent out(alm.Lmax());
  for (int m = 0; m <= alm.Mmax(); ++m)
    for (int l = m; l <= alm.Lmax(); ++l) out(l, m) = alm(l, m);
  return out;
}

HpAlm toHealpix(const AlmComponent& alm) {
  HpAlm out(alm.lmax(), alm.lmax());
  for (int m = 0; m <= alm.lmax(); ++m)
    for (int l = m; l <= alm.lmax(); ++l) out(l, m) = alm(l, m);
  return out;
}

std::vector<double> fieldValues(const Healpix_Map<double>& m) {
  return std::vector<double>(m.Map().begin(), m.Map().begin() + m.Npix());
}

}  // namespace

void AlmComponent::scaleByMultipole(const std::vector<double>& factor) {
  for (int m = 0; m <= lmax_; ++m)
    for (int l = m; l <= lmax_; ++l) (*this)(l, m) *= factor.at(l);
}

int resolveLmax(int lmax, int nside) {
  if (lmax < 0) return 3 * nside - 1;
  if (lmax > 4 * nside) {
    throw SkyError(ErrorKind::InvalidArgument, "lmax " + std::to_string(lmax) + " is beyond 4*nside = " +
                                                   std::to_string(4 * nside) + " for nside " + std::to_string(nside));
  }
  return lmax;
}

AlmSet mapToAlm(const SkyMap& map, int lmax, int iterations, bool polarised) {
  if (iterations < 0 || iterations > 100) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "iter must be between 0 and 100 (got " + std::to_string(iterations) + ")");
  }
  if (polarised && map.fieldCount() != 3) {
    throw SkyError(ErrorKind::InvalidArgument, "polarised transforms need a T,Q,U map (3 fields)");
  }
  lmax = resolveLmax(lmax, map.nside());
  const SkyMap ring = map.toOrdering(Ordering::Ring);
  if (!polarised) {
    HpAlm alm(lmax, lmax);
    map2alm_iter(toHealpixField(ring, 0), alm, iterations);
    return {fromHealpix(alm)};
  }
  HpAlm t(lmax, lmax), e(lmax, lmax), b(lmax, lmax);
  map2alm_pol_iter(toHealpixField(ring, 0), toHealpixField(ring, 1), toHealpixField(ring, 2), t, e, b, iterations);
  return {fromHealpix(t), fromHealpix(e), fromHealpix(b)};
}

SkyMap almToMap(const AlmSet& alm, int nside) {
  if (!isValidNside(nside)) {
    throw SkyError(ErrorKind::InvalidArgument, "nside " + std::to_string(nside) + " is not a power of two");
  }
  if (alm.size() == 1) {
    Healpix_Map<double> m(nside, RING, SET_NSIDE);
    alm2map(toHealpix(alm[0]), m);
    return SkyMap(nside, Ordering::Ring, {fieldValues(m)});
  }
  if (alm.size() != 3) throw SkyError(ErrorKind::Internal, "alm sets hold 1 or 3 components");
  Healpix_Map<double> t(nside, RING, SET_NSIDE), q(nside, RING, SET_NSIDE), u(nside, RING, SET_NSIDE);
  alm2map_pol(toHealpix(alm[0]), toHealpix(alm[1]), toHealpix(alm[2]), t, q, u);
  return SkyMap(nside, Ordering::Ring, {fieldValues(t), fieldValues(q), fieldValues(u)});
}

std::vector<double> crossPowerOf(const AlmComponent& a, const AlmComponent& b) {
  const int lmax = std::min(a.lmax(), b.lmax());
  std::vector<double> cl(lmax + 1);
  for (int l = 0; l <= lmax; ++l) {
    double sum = (a(l, 0) * std::conj(b(l, 0))).real();
    for (int m = 1; m <= l; ++m) sum += 2.0 * (a(l, m) * std::conj(b(l, m))).real();
    cl[l] = sum / (2.0 * l + 1.0);
  }
  return cl;
}

}  // namespace sky
