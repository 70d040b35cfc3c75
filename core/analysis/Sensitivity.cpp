#include "analysis/Sensitivity.h"

#include <cmath>
#include <numbers>
#include <random>

#include "analysis/Ablation.h"
#include "sky/Harmonics.h"
#include "sky/Mollweide.h"
#include "util/Error.h"

namespace sky {
namespace {

void check(const Model& model, const std::vector<SkyMap>& maps, const SensitivityOptions& o) {
  if (maps.empty()) throw SkyError(ErrorKind::InvalidArgument, "no maps to perturb");
  if (o.repeats < 1)
    throw SkyError(ErrorKind::InvalidArgument, "repeats must be >= 1 (got " + std::to_string(o.repeats) + ")");
  if (!(o.amplitude > 0) || !std::isfinite(o.amplitude))
    throw SkyError(ErrorKind::InvalidArgument, "the noise amplitude must be > 0");
  if (o.target < 0 || o.target >= model.outputCount()) {
    throw SkyError(ErrorKind::InvalidArgument, "output " + std::to_string(o.target) + " does not exist");
  }
  for (const SkyMap& m : maps)
    if (m.nside() != maps[0].nside()) throw SkyError(ErrorKind::InvalidData, "the maps have different nside");
  if (o.unit == SensitivityUnit::Bands && (o.bandWidth < 1 || 2 + o.bandWidth - 1 > 3 * maps[0].nside() - 1)) {
    throw SkyError(ErrorKind::InvalidArgument, "band width " + std::to_string(o.bandWidth) +
                                                   " does not fit in l = 2.." +
                                                   std::to_string(3 * maps[0].nside() - 1));
  }
  if (o.unit == SensitivityUnit::Regions && (!isValidNside(o.regionNside) || o.regionNside > maps[0].nside())) {
    throw SkyError(ErrorKind::InvalidArgument, "region nside " + std::to_string(o.regionNside) +
                                                   " must be a power of two no larger than the maps' " +
                                                   std::to_string(maps[0].nside()));
  }
  if (o.level == NoiseLevel::CosmicVariance && o.unit == SensitivityUnit::Regions) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "cosmic-variance noise is defined per band; regions take a fixed amplitude");
  }
}

// A Gaussian field with C_l = cl[l] for l in [lmin, lmax] and nothing else.
SkyMap bandNoise(const std::vector<double>& cl, int lmin, int lmax, int nside, int almLmax, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  AlmComponent a(almLmax);
  for (int l = lmin; l <= lmax; ++l) {
    const double s = std::sqrt(std::max(0.0, cl[static_cast<size_t>(l)]));
    a(l, 0) = {s * g(rng), 0.0};
    for (int m = 1; m <= l; ++m) a(l, m) = {s * g(rng) / std::sqrt(2.0), s * g(rng) / std::sqrt(2.0)};
  }
  return almToMap({a}, nside);
}

}  // namespace

SensitivityResult sensitivity(Model& model, const std::vector<SkyMap>& input, const SensitivityOptions& o,
                              Progress& progress) {
  check(model, input, o);
  std::vector<SkyMap> maps;
  for (const SkyMap& m : input) maps.push_back(m.toOrdering(Ordering::Ring));
  const int nside = maps[0].nside(), lmax = 3 * nside - 1;
  const std::vector<double> base = scoreMaps(model, maps, o.target);
  SensitivityResult r;
  std::vector<std::vector<double>> mapCl;  // field 0's spectrum per map (cosmic-variance noise)
  if (o.unit == SensitivityUnit::Bands) {
    for (int lo = 2; lo <= lmax; lo += o.bandWidth) {
      r.lmin.push_back(lo);
      r.lmax.push_back(std::min(lmax, lo + o.bandWidth - 1));
    }
    if (o.level == NoiseLevel::CosmicVariance) {
      for (const SkyMap& m : maps) {
        const AlmSet a = mapToAlm(m, lmax, 3, false);
        mapCl.push_back(crossPowerOf(a[0], a[0]));
      }
    }
  } else {
    r.regionNside = o.regionNside;
  }
  const size_t units =
      o.unit == SensitivityUnit::Bands ? r.lmin.size() : static_cast<size_t>(npixForNside(o.regionNside));
  // White noise of rms A per pixel has C_l = A^2 4 pi / npix.
  const double whiteCl = o.amplitude * o.amplitude * 4.0 * std::numbers::pi / static_cast<double>(npixForNside(nside));
  std::vector<int64_t> regionOf;
  if (o.unit == SensitivityUnit::Regions) {
    regionOf.resize(static_cast<size_t>(npixForNside(nside)));
    for (size_t p = 0; p < regionOf.size(); ++p)
      regionOf[p] = ringPixelAt(o.regionNside, ringPixelCentre(nside, static_cast<int64_t>(p)));
  }
  std::mt19937_64 rng(o.seed);  // seeded once: every repeat and unit draws fresh noise
  std::normal_distribution<double> g;
  const long long total = static_cast<long long>(units) * o.repeats;
  for (size_t u = 0; u < units && !progress.cancelled(); ++u) {
    std::vector<double> perRepeat;
    for (int rep = 0; rep < o.repeats && !progress.cancelled(); ++rep) {
      std::vector<SkyMap> perturbed = maps;
      for (size_t i = 0; i < maps.size(); ++i) {
        auto values = perturbed[i].field(0);
        if (o.unit == SensitivityUnit::Bands) {
          std::vector<double> cl(static_cast<size_t>(lmax) + 1, whiteCl);
          if (o.level == NoiseLevel::CosmicVariance) {
            for (int l = 0; l <= lmax; ++l)
              cl[static_cast<size_t>(l)] =
                  o.amplitude * std::sqrt(2.0 / (2 * l + 1)) * mapCl[i][static_cast<size_t>(l)];
          }
          const SkyMap noise = bandNoise(cl, r.lmin[u], r.lmax[u], nside, lmax, rng);
          for (size_t p = 0; p < values.size(); ++p)
            if (!isMasked(values[p])) values[p] += noise.field(0)[p];
        } else {
          for (size_t p = 0; p < values.size(); ++p)
            if (regionOf[p] == static_cast<int64_t>(u) && !isMasked(values[p])) values[p] += o.amplitude * g(rng);
        }
      }
      const std::vector<double> scores = scoreMaps(model, perturbed, o.target);
      double change = 0;
      for (size_t i = 0; i < scores.size(); ++i) change += std::abs(scores[i] - base[i]);
      perRepeat.push_back(change / static_cast<double>(scores.size()));
    }
    if (static_cast<int>(perRepeat.size()) < o.repeats) break;  // cancelled within this unit
    double mean = 0;
    for (double c : perRepeat) mean += c / o.repeats;
    r.importance.push_back(mean);
    r.repeats.push_back(std::move(perRepeat));
    try {
      progress.report(static_cast<long long>(u + 1) * o.repeats, total,
                      "unit " + std::to_string(u + 1) + "/" + std::to_string(units));
    } catch (const SkyError& e) {
      if (e.kind() != ErrorKind::Cancelled) throw;
      break;
    }
  }
  r.complete = r.importance.size() == units;
  return r;
}

SkyMap importanceMap(const SensitivityResult& result) {
  if (result.regionNside == 0)
    throw SkyError(ErrorKind::InvalidArgument, "band sensitivities are a spectrum, not a map");
  std::vector<double> values(static_cast<size_t>(npixForNside(result.regionNside)),
                             kUnseen);  // unfinished regions: UNSEEN
  for (size_t k = 0; k < result.importance.size(); ++k) values[k] = result.importance[k];
  return SkyMap(result.regionNside, Ordering::Ring, std::vector<std::vector<double>>{std::move(values)},
                {"SENSITIVITY"});
}

}  // namespace sky
