#pragma once
// Spherical-harmonic transforms of SkyMap fields through healpix_cxx (the library healpy wraps,
// so results equal healpy's map2alm/alm2map). Masked pixels enter the transform as 0, as in
// healpy. A map with 3 fields is transformed as T,Q,U (spin 0 + spin 2) when `polarised`.
#include <complex>
#include <vector>

#include "sky/SkyMap.h"

namespace sky {

// a_lm of one component, healpix packing: index(l, m) for 0 <= m <= l <= lmax.
class AlmComponent {
 public:
  AlmComponent() = default;
  explicit AlmComponent(int lmax) : lmax_(lmax), values_(static_cast<size_t>(lmax + 1) * (lmax + 2) / 2) {}
  int lmax() const { return lmax_; }
  std::complex<double>& operator()(int l, int m) { return values_[index(l, m)]; }
  const std::complex<double>& operator()(int l, int m) const { return values_[index(l, m)]; }
  // Multiplies every a_lm of multipole l by factor[l].
  void scaleByMultipole(const std::vector<double>& factor);

 private:
  size_t index(int l, int m) const { return static_cast<size_t>(m) * (2 * lmax_ + 3 - m) / 2 + (l - m); }
  int lmax_ = 0;
  std::vector<std::complex<double>> values_;
};

// One component (T) or three (T, E, B).
using AlmSet = std::vector<AlmComponent>;

// Checks 0 <= lmax <= 4*nside and iterations in [0, 100]; -1 means lmax = 3*nside - 1.
int resolveLmax(int lmax, int nside);

AlmSet mapToAlm(const SkyMap& map, int lmax, int iterations, bool polarised);
// Synthesises a RING map with nside from the alms (1 component: one field, 3: T,Q,U).
SkyMap almToMap(const AlmSet& alm, int nside);

// healpy alm2cl for two components: (1/(2l+1)) sum_m Re(a_lm b_lm*), m from -l to l.
std::vector<double> crossPowerOf(const AlmComponent& a, const AlmComponent& b);

}  // namespace sky
