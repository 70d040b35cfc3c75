#include "sky/PowerSpectrum.h"

#include <numbers>
#include <string>

#include "sky/Harmonics.h"
#include "util/Error.h"

namespace sky {
namespace {

bool usePolarisation(const SkyMap& map, const SpectrumOptions& options) {
  return options.polarised && map.fieldCount() == 3;
}

// healpy's ordering of the six spectra: (i, j) component pairs.
struct Pair {
  const char* name;
  int i, j;
};
constexpr Pair kPolarisedPairs[] = {{"TT", 0, 0}, {"EE", 1, 1}, {"BB", 2, 2}, {"TE", 0, 1}, {"EB", 1, 2}, {"TB", 0, 2}};

PowerSpectrum spectrumOf(const AlmSet& a, const AlmSet& b, double fsky, bool correct) {
  PowerSpectrum out;
  const int n = a.size() == 3 ? 6 : 1;
  for (int k = 0; k < n; ++k) {
    out.names.emplace_back(kPolarisedPairs[k].name);
    out.cl.push_back(crossPowerOf(a[kPolarisedPairs[k].i], b[kPolarisedPairs[k].j]));
  }
  out.skyFraction = fsky;
  if (correct && fsky < 1.0) {
    if (fsky <= 0.0) throw SkyError(ErrorKind::InvalidData, "every pixel is masked: no spectrum to compute");
    for (auto& spectrum : out.cl)
      for (double& v : spectrum) v /= fsky;
    out.skyFractionCorrected = true;
  }
  return out;
}

}  // namespace

double unmaskedFraction(const SkyMap& map) {
  int64_t valid = 0;
  for (int64_t p = 0; p < map.npix(); ++p) {
    bool ok = true;
    for (int f = 0; f < map.fieldCount() && ok; ++f) ok = !isMasked(map.field(f)[p]);
    valid += ok ? 1 : 0;
  }
  return static_cast<double>(valid) / static_cast<double>(map.npix());
}

PowerSpectrum anafast(const SkyMap& map, const SpectrumOptions& options) {
  const bool pol = usePolarisation(map, options);
  const AlmSet alm = mapToAlm(map, options.lmax, options.iterations, pol);
  return spectrumOf(alm, alm, unmaskedFraction(map), options.correctForSkyFraction);
}

PowerSpectrum crossSpectrum(const SkyMap& a, const SkyMap& b, const SpectrumOptions& options) {
  if (a.nside() != b.nside()) {
    throw SkyError(ErrorKind::InvalidArgument, "cross spectrum of maps with different nside (" +
                                                   std::to_string(a.nside()) + " and " + std::to_string(b.nside()) +
                                                   ")");
  }
  if (a.fieldCount() != b.fieldCount()) {
    throw SkyError(ErrorKind::InvalidArgument, "cross spectrum of maps with different field counts");
  }
  const bool pol = usePolarisation(a, options);
  const AlmSet almA = mapToAlm(a, options.lmax, options.iterations, pol);
  const AlmSet almB = mapToAlm(b, options.lmax, options.iterations, pol);
  // The pseudo-C_l of two masked skies scales with the overlap of their masks.
  std::vector<std::vector<double>> both;
  for (int f = 0; f < a.fieldCount(); ++f) both.emplace_back(a.field(f).begin(), a.field(f).end());
  for (int f = 0; f < b.fieldCount(); ++f) both.emplace_back(b.field(f).begin(), b.field(f).end());
  const SkyMap joint(a.nside(), a.ordering(), std::move(both));
  return spectrumOf(almA, almB, unmaskedFraction(joint), options.correctForSkyFraction);
}

int automaticLmax(int nside) { return nside <= 512 ? 3 * nside - 1 : 2 * nside; }

std::vector<double> toDl(const std::vector<double>& cl) {
  std::vector<double> dl(cl.size());
  for (size_t l = 0; l < cl.size(); ++l) {
    dl[l] = static_cast<double>(l) * (l + 1.0) * cl[l] / (2.0 * std::numbers::pi);
  }
  return dl;
}

BinnedSpectrum binSpectrum(const std::vector<double>& values, int lmin, int width) {
  if (width < 1) throw SkyError(ErrorKind::InvalidArgument, "bin width must be at least 1");
  if (lmin < 0 || lmin >= static_cast<int>(values.size())) {
    throw SkyError(ErrorKind::InvalidArgument, "lmin " + std::to_string(lmin) + " is outside 0.." +
                                                   std::to_string(static_cast<int>(values.size()) - 1));
  }
  BinnedSpectrum out;
  for (int lo = lmin; lo < static_cast<int>(values.size()); lo += width) {
    const int hi = std::min(lo + width - 1, static_cast<int>(values.size()) - 1);
    double sum = 0.0;
    for (int l = lo; l <= hi; ++l) sum += values[l];
    out.ellMin.push_back(lo);
    out.ellMax.push_back(hi);
    out.ellCentre.push_back(0.5 * (lo + hi));
    out.value.push_back(sum / (hi - lo + 1));
  }
  return out;
}

}  // namespace sky
