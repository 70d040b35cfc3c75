#include "analysis/Aggregate.h"

#include <healpix_cxx/healpix_base.h>

#include <cmath>

#include "sky/MapStatistics.h"
#include "sky/Mollweide.h"
#include "sky/PowerSpectrum.h"
#include "util/Error.h"

namespace sky {
namespace {

// Field 0 of `map` at the centres of the RING pixels of nside.
std::vector<double> readAt(const SkyMap& map, int nside) {
  const SkyMap ring = map.toOrdering(Ordering::Ring);
  const auto v = ring.field(0);
  if (ring.nside() == nside) return {v.begin(), v.end()};
  std::vector<double> out(static_cast<size_t>(npixForNside(nside)));
  for (size_t p = 0; p < out.size(); ++p)
    out[p] = v[static_cast<size_t>(ringPixelAt(ring.nside(), ringPixelCentre(nside, static_cast<int64_t>(p))))];
  return out;
}

}  // namespace

AttributionAggregate aggregateAttributions(const std::vector<SkyMap>& maps, const std::vector<SkyMap>& attributions,
                                           const std::vector<int>& labels, const AggregateOptions& o) {
  if (maps.empty()) throw SkyError(ErrorKind::InvalidArgument, "no maps to aggregate");
  if (attributions.size() != maps.size() || labels.size() != maps.size()) {
    throw SkyError(ErrorKind::InvalidArgument, std::to_string(maps.size()) + " maps, " +
                                                   std::to_string(attributions.size()) + " attributions and " +
                                                   std::to_string(labels.size()) + " labels: give one of each per map");
  }
  AttributionAggregate out;
  out.nside = attributions[0].nside();
  const int lmax = 3 * out.nside - 1;
  if (o.bandWidth < 1) throw SkyError(ErrorKind::InvalidArgument, "the band width must be >= 1");
  for (int lo = 2; lo <= lmax; lo += o.bandWidth) {
    out.bandLmin.push_back(lo);
    out.bandLmax.push_back(std::min(lmax, lo + o.bandWidth - 1));
  }
  const size_t npix = static_cast<size_t>(npixForNside(out.nside));
  const T_Healpix_Base<int64_t> base(out.nside, RING, SET_NSIDE);
  std::array<std::vector<std::vector<double>>, 2> spectra;
  for (auto& c : out.classes) {
    c.mean.assign(npix, 0.0);
    c.meanAbs.assign(npix, 0.0);
    c.bandShare.assign(out.bandLmin.size(), 0.0);
  }
  for (size_t i = 0; i < maps.size(); ++i) {
    if (labels[i] != 0 && labels[i] != 1)
      throw SkyError(ErrorKind::InvalidArgument, "labels are 0 (LambdaCDM) or 1 (feature)");
    if (attributions[i].nside() != out.nside)
      throw SkyError(ErrorKind::InvalidData, "the attribution maps have different nside");
    ClassAggregate& c = out.classes[static_cast<size_t>(labels[i])];
    ++c.maps;
    const std::vector<double> a = readAt(attributions[i], out.nside), m = readAt(maps[i], out.nside);
    const FieldStatistics st = computeStatistics(m);  // NaN without unmasked pixels: no spots
    const double mean = st.mean, sigma = st.std;
    double total = 0, edge = 0, hot = 0, cold = 0;
    fix_arr<int64_t, 8> neighbours;
    for (size_t p = 0; p < npix; ++p) {
      if (isMasked(a[p])) continue;
      c.mean[p] += a[p];
      c.meanAbs[p] += std::abs(a[p]);
      total += std::abs(a[p]);
      if (isMasked(m[p])) continue;
      base.neighbors(static_cast<int64_t>(p), neighbours);
      bool touches = false;
      for (size_t k = 0; k < 8; ++k)
        touches = touches || (neighbours[k] >= 0 && isMasked(m[static_cast<size_t>(neighbours[k])]));
      if (touches) edge += std::abs(a[p]);
      if (m[p] - mean > o.spotSigma * sigma) hot += std::abs(a[p]);
      if (m[p] - mean < -o.spotSigma * sigma) cold += std::abs(a[p]);
    }
    if (total > 0) {
      c.maskEdgeShare += edge / total;
      c.hotShare += hot / total;
      c.coldShare += cold / total;
    }
    // The attribution's spectrum (masked pixels as zero) and its power per band.
    std::vector<double> clean(a);
    for (double& v : clean)
      if (isMasked(v)) v = 0.0;
    SpectrumOptions so;
    so.polarised = false;
    so.correctForSkyFraction = false;
    const auto cl =
        anafast(SkyMap(out.nside, Ordering::Ring, std::vector<std::vector<double>>{std::move(clean)}), so).cl[0];
    double power = 0;
    std::vector<double> band(out.bandLmin.size(), 0.0);
    for (size_t b = 0; b < band.size(); ++b)
      for (int l = out.bandLmin[b]; l <= out.bandLmax[b]; ++l) band[b] += (2 * l + 1) * cl[static_cast<size_t>(l)];
    for (double x : band) power += x;
    if (power > 0)
      for (size_t b = 0; b < band.size(); ++b) c.bandShare[b] += band[b] / power;
    spectra[static_cast<size_t>(labels[i])].push_back(cl);
  }
  for (size_t k = 0; k < 2; ++k) {
    ClassAggregate& c = out.classes[k];
    if (c.maps == 0) continue;
    const double n = c.maps;
    for (size_t p = 0; p < npix; ++p) {
      c.mean[p] /= n;
      c.meanAbs[p] /= n;
    }
    c.maskEdgeShare /= n;
    c.hotShare /= n;
    c.coldShare /= n;
    for (double& s : c.bandShare) s /= n;
    c.clMean.assign(static_cast<size_t>(lmax) + 1, 0.0);
    c.clStd.assign(static_cast<size_t>(lmax) + 1, 0.0);
    for (const auto& cl : spectra[k])
      for (size_t l = 0; l < cl.size(); ++l) c.clMean[l] += cl[l] / n;
    for (const auto& cl : spectra[k])
      for (size_t l = 0; l < cl.size(); ++l) c.clStd[l] += (cl[l] - c.clMean[l]) * (cl[l] - c.clMean[l]);
    for (double& s : c.clStd) s = c.maps > 1 ? std::sqrt(s / (n - 1)) : std::nan("");
  }
  return out;
}

}  // namespace sky
