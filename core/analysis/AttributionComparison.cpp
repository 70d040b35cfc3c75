#include "analysis/AttributionComparison.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sky/PowerSpectrum.h"
#include "util/Error.h"

namespace sky {
namespace {

// Indices of the `keep` largest |values| (ties broken by index, so the set is deterministic).
std::vector<uint8_t> topSet(const std::vector<double>& v, size_t keep) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                    [&](size_t i, size_t j) {
                      const double a = std::abs(v[i]), b = std::abs(v[j]);
                      return a != b ? a > b : i < j;
                    });
  std::vector<uint8_t> in(v.size(), 0);
  for (size_t k = 0; k < keep; ++k) in[order[k]] = 1;
  return in;
}

}  // namespace

double pearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y) {
  const size_t n = x.size();
  if (n < 2 || y.size() != n) return std::nan("");
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(n);
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : std::nan("");
}

std::vector<double> averageRanks(const std::vector<double>& x) {
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t i, size_t j) { return x[i] < x[j]; });
  std::vector<double> rank(x.size());
  for (size_t start = 0; start < order.size();) {
    size_t end = start + 1;
    while (end < order.size() && x[order[end]] == x[order[start]]) ++end;
    const double mean = (static_cast<double>(start) + static_cast<double>(end - 1)) / 2.0 + 1.0;
    for (size_t k = start; k < end; ++k) rank[order[k]] = mean;
    start = end;
  }
  return rank;
}

AttributionComparison compareAttributions(const SkyMap& a, const SkyMap& b, const ComparisonOptions& options,
                                          const SkyMask* within) {
  if (a.nside() != b.nside()) {
    throw SkyError(ErrorKind::InvalidData, "attribution maps to compare have nside " + std::to_string(a.nside()) +
                                               " and " + std::to_string(b.nside()) +
                                               "; compare maps of one resolution");
  }
  if (within && within->nside != a.nside())
    throw SkyError(ErrorKind::InvalidData, "selection mask nside differs from the maps");
  if (!(options.topFraction > 0 && options.topFraction <= 1)) {
    throw SkyError(ErrorKind::InvalidArgument, "top fraction must be in (0, 1]");
  }
  const auto va = a.field(0), vb = b.field(0);
  std::vector<double> x, y;
  for (size_t p = 0; p < va.size(); ++p) {
    if (isMasked(va[p]) || isMasked(vb[p]) || (within && !within->inside[p])) continue;
    x.push_back(va[p]);
    y.push_back(vb[p]);
  }
  AttributionComparison out;
  out.pixels = static_cast<int64_t>(x.size());
  if (x.size() < 2) throw SkyError(ErrorKind::InvalidData, "fewer than two pixels to compare");
  out.pearson = pearsonCorrelation(x, y);
  out.spearman = pearsonCorrelation(averageRanks(x), averageRanks(y));
  const size_t keep =
      std::max<size_t>(1, static_cast<size_t>(std::llround(options.topFraction * static_cast<double>(x.size()))));
  const auto ta = topSet(x, keep), tb = topSet(y, keep);
  size_t both = 0, either = 0, nonzero = 0, agree = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    both += ta[i] & tb[i];
    either += ta[i] | tb[i];
    if (x[i] != 0 && y[i] != 0) {
      ++nonzero;
      agree += (x[i] > 0) == (y[i] > 0);
    }
  }
  out.topOverlap = static_cast<double>(both) / static_cast<double>(either);
  out.signAgreement = nonzero > 0 ? static_cast<double>(agree) / static_cast<double>(nonzero) : std::nan("");
  // Spectra: unmasked copies of field 0 (masked pixels set to zero).
  auto clean = [](const SkyMap& m) {
    std::vector<double> v(m.field(0).begin(), m.field(0).end());
    for (double& t : v)
      if (isMasked(t)) t = 0.0;
    return SkyMap(m.nside(), m.ordering(), std::vector<std::vector<double>>{std::move(v)});
  };
  const SkyMap ca = clean(a), cb = clean(b);
  SpectrumOptions so;
  so.polarised = false;
  so.lmax = options.lmax;
  so.correctForSkyFraction = false;
  const auto aa = anafast(ca, so).cl[0], bb = anafast(cb, so).cl[0], ab = crossSpectrum(ca, cb, so).cl[0];
  const int lmax = static_cast<int>(aa.size()) - 1;
  const int nb = std::clamp(options.bands, 1, std::max(1, lmax - 1));
  for (int k = 0; k < nb; ++k) {
    BandCorrelation band;
    band.lmin = 2 + (lmax - 1) * k / nb;
    band.lmax = 2 + (lmax - 1) * (k + 1) / nb - 1;
    double sab = 0, saa = 0, sbb = 0;
    for (int l = band.lmin; l <= band.lmax; ++l) {
      sab += (2 * l + 1) * ab[l];
      saa += (2 * l + 1) * aa[l];
      sbb += (2 * l + 1) * bb[l];
    }
    band.r = saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : std::nan("");
    out.bands.push_back(band);
  }
  return out;
}

}  // namespace sky
