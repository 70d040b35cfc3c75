#include "sky/HarmonicFilters.h"

#include <cmath>
#include <numbers>
#include <string>

#include "sky/Harmonics.h"
#include "util/Error.h"

namespace sky {
namespace {

// Runs `filter` on the alms of every field and remasks what was masked.
template <typename Filter>
SkyMap filterInHarmonicSpace(const SkyMap& map, const HarmonicOptions& options, Filter&& filter) {
  const bool pol = map.fieldCount() == 3;
  const int lmax = resolveLmax(options.lmax, map.nside());
  std::vector<std::vector<double>> fields;
  if (pol || map.fieldCount() == 1) {
    AlmSet alm = mapToAlm(map, lmax, options.iterations, pol);
    filter(alm);
    SkyMap out = almToMap(alm, map.nside()).toOrdering(map.ordering());
    for (int f = 0; f < map.fieldCount(); ++f) fields.emplace_back(out.field(f).begin(), out.field(f).end());
  } else {
    // Neither T nor T,Q,U: filter each field as an independent scalar map.
    for (int f = 0; f < map.fieldCount(); ++f) {
      const SkyMap single(map.nside(), map.ordering(), {std::vector<double>(map.field(f).begin(), map.field(f).end())});
      AlmSet alm = mapToAlm(single, lmax, options.iterations, false);
      filter(alm);
      SkyMap out = almToMap(alm, map.nside()).toOrdering(map.ordering());
      fields.emplace_back(out.field(0).begin(), out.field(0).end());
    }
  }
  for (int f = 0; f < map.fieldCount(); ++f) {
    const auto in = map.field(f);
    for (size_t p = 0; p < in.size(); ++p)
      if (isMasked(in[p])) fields[f][p] = kUnseen;
  }
  return SkyMap(map.nside(), map.ordering(), std::move(fields), map.fieldNames(), map.unit());
}

}  // namespace

std::vector<double> gaussianBeam(double fwhmArcmin, int lmax, bool polarised) {
  if (!(fwhmArcmin >= 0.0) || !std::isfinite(fwhmArcmin)) {
    throw SkyError(ErrorKind::InvalidArgument, "beam FWHM must be a finite non-negative number of arcmin");
  }
  const double fwhm = fwhmArcmin / 60.0 * std::numbers::pi / 180.0;
  const double sigma2 = std::pow(fwhm / std::sqrt(8.0 * std::log(2.0)), 2);
  std::vector<double> beam(lmax + 1);
  for (int l = 0; l <= lmax; ++l) {
    const double ll = static_cast<double>(l) * (l + 1.0) - (polarised ? 4.0 : 0.0);
    beam[l] = std::exp(-0.5 * ll * sigma2);
  }
  return beam;
}

SkyMap smoothGaussian(const SkyMap& map, double fwhmArcmin, const HarmonicOptions& options) {
  const int lmax = resolveLmax(options.lmax, map.nside());
  const std::vector<double> beamT = gaussianBeam(fwhmArcmin, lmax, false);
  const std::vector<double> beamP = gaussianBeam(fwhmArcmin, lmax, true);
  return filterInHarmonicSpace(map, options, [&](AlmSet& alm) {
    for (size_t c = 0; c < alm.size(); ++c) alm[c].scaleByMultipole(c == 0 ? beamT : beamP);
  });
}

SkyMap bandPass(const SkyMap& map, int lmin, int lmax, BandMode mode, const HarmonicOptions& options) {
  const int transformLmax = resolveLmax(options.lmax, map.nside());
  if (lmin < 0 || lmax < lmin || lmax > transformLmax) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "l-range " + std::to_string(lmin) + ".." + std::to_string(lmax) +
                       " must satisfy 0 <= lmin <= lmax <= " + std::to_string(transformLmax));
  }
  std::vector<double> window(transformLmax + 1);
  for (int l = 0; l <= transformLmax; ++l) {
    const bool inside = l >= lmin && l <= lmax;
    window[l] = (inside == (mode == BandMode::Keep)) ? 1.0 : 0.0;
  }
  return filterInHarmonicSpace(map, options, [&](AlmSet& alm) {
    for (auto& component : alm) component.scaleByMultipole(window);
  });
}

void forEachBandPass(const SkyMap& map, const std::vector<std::pair<int, int>>& bands,
                     const std::function<void(size_t band, SkyMap&& component)>& use, const HarmonicOptions& options) {
  const int transformLmax = resolveLmax(options.lmax, map.nside());
  for (const auto& [lo, hi] : bands) {
    if (lo < 0 || hi < lo || hi > transformLmax) {
      throw SkyError(ErrorKind::InvalidArgument,
                     "l-range " + std::to_string(lo) + ".." + std::to_string(hi) +
                         " must satisfy 0 <= lmin <= lmax <= " + std::to_string(transformLmax));
    }
  }
  // The transform units: T or T,Q,U at once, else each field alone (as filterInHarmonicSpace).
  const bool together = map.fieldCount() == 3 || map.fieldCount() == 1;
  std::vector<AlmSet> units;
  if (together) {
    units.push_back(mapToAlm(map, transformLmax, options.iterations, map.fieldCount() == 3));
  } else {
    for (int f = 0; f < map.fieldCount(); ++f) {
      const SkyMap single(map.nside(), map.ordering(), {std::vector<double>(map.field(f).begin(), map.field(f).end())});
      units.push_back(mapToAlm(single, transformLmax, options.iterations, false));
    }
  }
  for (size_t b = 0; b < bands.size(); ++b) {
    const auto [lo, hi] = bands[b];
    std::vector<std::vector<double>> fields;
    for (const AlmSet& unit : units) {
      AlmSet band;  // the band's a_lm, truncated at its lmax
      for (const AlmComponent& c : unit) {
        AlmComponent kept(hi);
        for (int m = 0; m <= hi; ++m)
          for (int l = std::max(m, lo); l <= hi; ++l) kept(l, m) = c(l, m);
        band.push_back(std::move(kept));
      }
      SkyMap out = almToMap(band, map.nside()).toOrdering(map.ordering());
      for (int f = 0; f < out.fieldCount(); ++f) fields.emplace_back(out.field(f).begin(), out.field(f).end());
    }
    for (int f = 0; f < map.fieldCount(); ++f) {
      const auto in = map.field(f);
      for (size_t p = 0; p < in.size(); ++p)
        if (isMasked(in[p])) fields[static_cast<size_t>(f)][p] = kUnseen;
    }
    use(b, SkyMap(map.nside(), map.ordering(), std::move(fields), map.fieldNames(), map.unit()));
  }
}

}  // namespace sky
