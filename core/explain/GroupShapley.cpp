#include "explain/GroupShapley.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>

#include "explain/Attribution.h"
#include "model/Model.h"
#include "model/ModelInput.h"
#include "model/Preprocess.h"
#include "sky/Cartview.h"
#include "sky/HarmonicFilters.h"
#include "sky/Mollweide.h"
#include "util/Error.h"

namespace sky {

namespace {

void requireFewPlayers(int players, const std::string& what) {
  if (players < 1) throw SkyError(ErrorKind::InvalidArgument, what + " gives no player");
  if (players > kMaxGroupPlayers) {
    throw SkyError(ErrorKind::InvalidArgument, what + " gives " + std::to_string(players) +
                                                   " players: exact Shapley values need all 2^G " +
                                                   "coalitions and take at most " + std::to_string(kMaxGroupPlayers) +
                                                   "; for more features use --method partition");
  }
}

// Shapley weight of a coalition of s players that player g joins: s! (G - s - 1)! / G!.
std::vector<double> shapleyWeights(int players) {
  std::vector<double> w(static_cast<size_t>(players));
  for (int s = 0; s < players; ++s) {
    double binomial = 1.0;  // C(G - 1, s)
    for (int i = 1; i <= s; ++i) binomial = binomial * (players - 1 - s + i) / i;
    w[static_cast<size_t>(s)] = 1.0 / (players * binomial);
  }
  return w;
}

// Runs the model on images (NCHW, model input) and returns K outputs each.
std::vector<double> runModel(Model& model, const std::vector<float>& nchw, int count) {
  std::vector<double> out(static_cast<size_t>(count) * model.outputCount());
  model.evaluate(nchw, count, Layout::NCHW, out);
  return out;
}

}  // namespace

GroupSpec GroupSpec::parse(const std::string& text) {
  GroupSpec g;
  if (text == "channels") return g;
  const auto fail = [&](const std::string& why) {
    throw SkyError(ErrorKind::Usage,
                   "--groups '" + text + "': " + why + " (channels, lbands:L0,L1,...,Ln or regions:NSIDE)");
  };
  if (text.rfind("lbands:", 0) == 0) {
    g.kind = Kind::Bands;
    std::string rest = text.substr(7);
    size_t start = 0;
    while (start <= rest.size()) {
      const size_t comma = rest.find(',', start);
      const std::string part = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      char* end = nullptr;
      const long v = std::strtol(part.c_str(), &end, 10);
      if (part.empty() || *end != '\0' || v < 0) fail("'" + part + "' is not a multipole");
      if (!g.edges.empty() && v <= g.edges.back()) fail("band edges must increase");
      g.edges.push_back(static_cast<int>(v));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (g.edges.size() < 2) fail("give at least two edges (one band)");
    requireFewPlayers(static_cast<int>(g.edges.size()) - 1, "--groups " + text);
    return g;
  }
  if (text.rfind("regions:", 0) == 0) {
    g.kind = Kind::Regions;
    char* end = nullptr;
    const long n = std::strtol(text.c_str() + 8, &end, 10);
    if (*end != '\0' || !isValidNside(n)) fail("the region nside must be a power of two");
    g.regionNside = static_cast<int>(n);
    requireFewPlayers(static_cast<int>(12 * n * n), "--groups " + text);
    return g;
  }
  fail("unknown grouping");
  return g;
}

std::string GroupSpec::text() const {
  if (kind == Kind::Channels) return "channels";
  if (kind == Kind::Regions) return "regions:" + std::to_string(regionNside);
  std::string out = "lbands:";
  for (size_t i = 0; i < edges.size(); ++i) out += (i ? "," : "") + std::to_string(edges[i]);
  return out;
}

GroupShapley exactShapley(int players, int outputs, const CoalitionEvaluator& evaluate, int batch, Progress& progress) {
  requireFewPlayers(players, "the grouping");
  if (batch < 1) throw SkyError(ErrorKind::InvalidArgument, "batch size must be at least 1");
  const uint32_t coalitions = 1u << players;
  std::vector<double> v(static_cast<size_t>(coalitions) * outputs);
  for (uint32_t first = 0; first < coalitions; first += static_cast<uint32_t>(batch)) {
    std::vector<uint32_t> ids;
    for (uint32_t s = first; s < std::min<uint32_t>(coalitions, first + static_cast<uint32_t>(batch)); ++s)
      ids.push_back(s);
    const std::vector<double> out = evaluate(ids);
    std::copy(out.begin(), out.end(), v.begin() + static_cast<std::ptrdiff_t>(first) * outputs);
    progress.report(first + static_cast<long long>(ids.size()), coalitions, "coalitions");
  }
  GroupShapley r;
  r.outputs = outputs;
  r.rowsEvaluated = coalitions;
  r.values.assign(static_cast<size_t>(outputs) * players, 0.0);
  const std::vector<double> w = shapleyWeights(players);
  for (uint32_t s = 0; s < coalitions; ++s) {
    const int size = std::popcount(s);
    for (int g = 0; g < players; ++g) {
      if (s & (1u << g)) continue;
      const uint32_t with = s | (1u << g);
      for (int k = 0; k < outputs; ++k) {
        r.values[static_cast<size_t>(k) * players + g] +=
            w[static_cast<size_t>(size)] *
            (v[static_cast<size_t>(with) * outputs + k] - v[static_cast<size_t>(s) * outputs + k]);
      }
    }
  }
  r.empty.assign(v.begin(), v.begin() + outputs);
  r.full.assign(v.end() - outputs, v.end());
  return r;
}

GroupShapley channelShapley(Model& model, const ImageBatch& image, double absentValue, int batch, Progress& progress) {
  checkBatchForModel(image, model);
  const int channels = image.shape.channels;
  const size_t plane = static_cast<size_t>(image.shape.height) * image.shape.width;
  const float* x = image.image(0);
  GroupShapley r = exactShapley(
      channels, model.outputCount(),
      [&](const std::vector<uint32_t>& coalitions) {
        std::vector<float> rows(coalitions.size() * plane * channels, static_cast<float>(absentValue));
        for (size_t i = 0; i < coalitions.size(); ++i)
          for (int c = 0; c < channels; ++c)
            if (coalitions[i] & (1u << c))
              std::copy(x + c * plane, x + (c + 1) * plane,
                        rows.begin() + static_cast<std::ptrdiff_t>((i * channels + c) * plane));
        return runModel(model, rows, static_cast<int>(coalitions.size()));
      },
      batch, progress);
  const auto& names = model.card().channels;
  for (int c = 0; c < channels; ++c)
    r.groups.push_back(
        {c < static_cast<int>(names.size()) ? names[static_cast<size_t>(c)] : "channel " + std::to_string(c),
         -1,
         -1,
         {}});
  return r;
}

GroupShapley mapGroupShapley(Model& model, const SkyMap& map, const ModelCard& card, const GroupSpec& spec,
                             const std::string& source, int batch, Progress& progress) {
  if (spec.kind == GroupSpec::Kind::Channels)
    throw SkyError(ErrorKind::InvalidArgument, "channel groups are made on the image: use channelShapley");
  const SkyMap ring = map.toOrdering(Ordering::Ring);
  // Cartview sampling is nearest-pixel, so a coalition's image is the sum (bands) of images
  // projected once, or the image with absent regions' pixels masked; the card's preprocessing
  // comes last.
  const Image full = projectForModel(ring, card, source);
  std::vector<Image> parts;   // bands: [rest, band 0, band 1, ...]
  std::vector<int> regionOf;  // regions: the region of each pixel of an image plane
  std::vector<FeatureGroup> groups;
  if (spec.kind == GroupSpec::Kind::Bands) {
    const int lmax = 3 * ring.nside() - 1;
    if (spec.edges.back() - 1 > lmax) {
      throw SkyError(ErrorKind::InvalidArgument, "band edge " + std::to_string(spec.edges.back()) +
                                                     " is beyond l = " + std::to_string(lmax + 1) + " for nside " +
                                                     std::to_string(ring.nside()));
    }
    Image rest = full;
    std::vector<Image> bands;
    std::vector<std::pair<int, int>> ranges;
    for (size_t b = 0; b + 1 < spec.edges.size(); ++b) ranges.emplace_back(spec.edges[b], spec.edges[b + 1] - 1);
    // One analysis of the map; each band is synthesised from its own a_lm and projected.
    forEachBandPass(ring, ranges, [&](size_t b, SkyMap&& component) {
      const auto [lo, hi] = ranges[b];
      progress.report(static_cast<long long>(b), static_cast<long long>(ranges.size()), "band components");
      bands.push_back(projectForModel(component, card, source));
      for (size_t i = 0; i < rest.data().size(); ++i)
        if (!isMasked(full.data()[i])) rest.data()[i] -= bands.back().data()[i];
      groups.push_back({"l " + std::to_string(lo) + "-" + std::to_string(hi), lo, hi, {}});
    });
    parts.push_back(std::move(rest));
    for (auto& b : bands) parts.push_back(std::move(b));
  } else {
    const int coarse = spec.regionNside;
    if (coarse > ring.nside()) {
      throw SkyError(ErrorKind::InvalidArgument, "regions at nside " + std::to_string(coarse) +
                                                     " are finer than the map (nside " + std::to_string(ring.nside()) +
                                                     ")");
    }
    // The region of each image pixel, from the sky pixel cartview samples there (the same
    // for every channel): one look-up per image pixel, not per sky pixel.
    const std::vector<int64_t> sampled = cartviewPixels(CartviewGrid::forWidth(card.width), ring.nside());
    regionOf.reserve(sampled.size());
    for (const int64_t p : sampled)
      regionOf.push_back(static_cast<int>(ringPixelAt(coarse, ringPixelCentre(ring.nside(), p))));
    for (int64_t p = 0; p < 12LL * coarse * coarse; ++p) groups.push_back({"region " + std::to_string(p), -1, -1, {p}});
  }
  const int players = static_cast<int>(groups.size());
  const size_t n = full.data().size(), plane = static_cast<size_t>(full.height()) * full.width();
  // Every coalition is standardised like the whole input (the card's per-map z-score would
  // otherwise rescale what is present, and cannot run on a sky with every region absent).
  const PreprocessingStats stats = preprocessingStats(card, full);
  GroupShapley r = exactShapley(
      players, model.outputCount(),
      [&](const std::vector<uint32_t>& coalitions) {
        std::vector<float> rows;
        rows.reserve(coalitions.size() * n);
        for (const uint32_t s : coalitions) {
          Image image = full;
          for (size_t i = 0; i < n; ++i) {
            if (isMasked(full.data()[i])) continue;  // masked on the sky: filled by the card
            if (spec.kind == GroupSpec::Kind::Bands) {
              double v = parts[0].data()[i];
              for (int g = 0; g < players; ++g)
                if (s & (1u << g)) v += parts[static_cast<size_t>(g) + 1].data()[i];
              image.data()[i] = v;
            } else if (!(s & (1u << regionOf[i % plane]))) {
              image.data()[i] = kUnseen;  // an absent region is masked
            }
          }
          applyPreprocessing(card, image, stats);
          const std::vector<float> f = batchOf(image).nchw;
          rows.insert(rows.end(), f.begin(), f.end());
        }
        return runModel(model, rows, static_cast<int>(coalitions.size()));
      },
      batch, progress);
  r.groups = std::move(groups);
  return r;
}

}  // namespace sky
