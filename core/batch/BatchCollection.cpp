#include "batch/BatchCollection.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "io/HealpixFits.h"
#include "simulate/Manifest.h"
#include "sky/PowerSpectrum.h"
#include "sky/SkyMap.h"
#include "util/Error.h"

namespace sky {
namespace fs = std::filesystem;

namespace {

fs::path outputEndingWith(const CollectionEntry& e, const std::string& suffix) {
  for (const auto& name : e.record.outputs)
    if (name.ends_with(suffix)) return e.directory / name;
  return {};
}

// Labels of the inputs of one directory, from its manifest.csv (as `simulate` writes it).
class DatasetLabels {
 public:
  std::optional<int> of(const fs::path& input) {
    const fs::path dir = input.parent_path();
    auto it = byDirectory_.find(dir);
    if (it == byDirectory_.end()) {
      std::map<std::string, int> labels;
      if (fs::is_regular_file(dir / "manifest.csv")) {
        try {
          for (const auto& entry : readManifest(dir / "manifest.csv"))
            labels[fs::path(entry.file).filename().string()] = entry.label;
        } catch (const SkyError&) {
          labels.clear();  // a manifest.csv of another kind: no labels, not an error
        }
      }
      it = byDirectory_.emplace(dir, std::move(labels)).first;
    }
    const auto label = it->second.find(input.filename().string());
    if (label == it->second.end()) return std::nullopt;
    return label->second;
  }

 private:
  std::map<fs::path, std::map<std::string, int>> byDirectory_;
};

std::string groupName(int label) {
  if (label == 0) return "LambdaCDM (label 0)";
  if (label == 1) return "feature (label 1)";
  return "label " + std::to_string(label);
}

}  // namespace

fs::path CollectionEntry::attributionMap() const { return outputEndingWith(*this, ".fits"); }
fs::path CollectionEntry::attributionImage() const { return outputEndingWith(*this, ".npy"); }

size_t BatchCollection::okCount() const {
  return static_cast<size_t>(
      std::count_if(entries.begin(), entries.end(), [](const CollectionEntry& e) { return e.record.ok(); }));
}

BatchCollection openBatchCollection(const fs::path& directory) {
  if (!fs::is_regular_file(directory / "batch.json")) {
    throw SkyError(ErrorKind::FileNotFound, directory.string() +
                                                " is not a batch output directory (it has no batch.json; "
                                                "skyinterpret-cli batch makes one)");
  }
  BatchCollection c;
  c.directory = directory;
  c.settings = readBatchSettings(directory);
  const BatchManifest manifest = readBatchManifest(directory);
  c.unreadableLines = manifest.unreadableLines;
  DatasetLabels labels;
  for (const auto& record : latestRecords(manifest)) {
    CollectionEntry e;
    e.record = record;
    e.directory = directory;
    e.label = labels.of(record.input);
    c.entries.push_back(std::move(e));
  }
  std::sort(c.entries.begin(), c.entries.end(),
            [](const CollectionEntry& a, const CollectionEntry& b) { return a.record.key < b.record.key; });
  return c;
}

CollectionMeans meanAttributions(const BatchCollection& collection, Progress& progress) {
  std::vector<const CollectionEntry*> usable;
  for (const auto& e : collection.entries)
    if (e.record.ok() && !e.attributionMap().empty()) usable.push_back(&e);
  if (usable.empty()) {
    throw SkyError(
        ErrorKind::InvalidData,
        collection.directory.string() + " has no finished result with a HEALPix attribution (FITS inputs, or --nside)");
  }
  // Group 0 is every result; then one group per label, in label order.
  std::map<int, size_t> groupOfLabel;
  for (const auto* e : usable)
    if (e->label) groupOfLabel.emplace(*e->label, 0);
  CollectionMeans out;
  out.groups.push_back("all results");
  for (auto& [label, group] : groupOfLabel) {
    group = out.groups.size();
    out.groups.push_back(groupName(label));
  }
  std::vector<std::vector<double>> sum, sumAbs, clSum, clSquares;
  std::vector<std::vector<int>> seen;
  out.counts.assign(out.groups.size(), 0);
  for (size_t n = 0; n < usable.size(); ++n) {
    progress.report(static_cast<long long>(n), static_cast<long long>(usable.size()),
                    "reading " + usable[n]->record.key);
    const SkyMap map = readHealpixFits(usable[n]->attributionMap(), nullptr, nullptr, Ordering::Ring);
    if (out.nside == 0) {
      out.nside = map.nside();
      const size_t npix = static_cast<size_t>(map.npix());
      sum.assign(out.groups.size(), std::vector<double>(npix, 0.0));
      sumAbs = sum;
      seen.assign(out.groups.size(), std::vector<int>(npix, 0));
      clSum.assign(out.groups.size(), std::vector<double>(static_cast<size_t>(automaticLmax(out.nside)) + 1, 0.0));
      clSquares = clSum;
    } else if (map.nside() != out.nside) {
      throw SkyError(ErrorKind::InvalidData, usable[n]->attributionMap().string() + " has nside " +
                                                 std::to_string(map.nside()) + ", the first result " +
                                                 std::to_string(out.nside) + "; means need one nside");
    }
    std::vector<size_t> groups = {0};
    if (usable[n]->label) groups.push_back(groupOfLabel.at(*usable[n]->label));
    const auto values = map.field(0);
    std::vector<double> clean(values.begin(), values.end());
    for (double& v : clean)
      if (isMasked(v)) v = 0.0;
    SpectrumOptions so;
    so.polarised = false;
    so.correctForSkyFraction = false;
    so.lmax = static_cast<int>(clSum[0].size()) - 1;
    const auto cl =
        anafast(SkyMap(out.nside, Ordering::Ring, std::vector<std::vector<double>>{std::move(clean)}), so).cl[0];
    for (const size_t g : groups) {
      for (size_t l = 0; l < cl.size() && l < clSum[g].size(); ++l) {
        clSum[g][l] += cl[l];
        clSquares[g][l] += cl[l] * cl[l];
      }
      ++out.counts[g];
      for (size_t p = 0; p < values.size(); ++p) {
        if (isMasked(values[p])) continue;
        sum[g][p] += values[p];
        sumAbs[g][p] += std::abs(values[p]);
        ++seen[g][p];
      }
    }
  }
  progress.report(static_cast<long long>(usable.size()), static_cast<long long>(usable.size()), "done", true);
  for (size_t g = 0; g < out.groups.size(); ++g) {
    for (size_t p = 0; p < sum[g].size(); ++p) {
      sum[g][p] = seen[g][p] ? sum[g][p] / seen[g][p] : kUnseen;
      sumAbs[g][p] = seen[g][p] ? sumAbs[g][p] / seen[g][p] : kUnseen;
    }
  }
  out.mean = std::move(sum);
  out.meanAbs = std::move(sumAbs);
  for (size_t g = 0; g < out.groups.size(); ++g) {
    const double n = out.counts[g];
    std::vector<double> mean(clSum[g].size()), spread(clSum[g].size());
    for (size_t l = 0; l < mean.size(); ++l) {
      mean[l] = clSum[g][l] / n;
      spread[l] = n > 1 ? std::sqrt(std::max(0.0, (clSquares[g][l] - n * mean[l] * mean[l]) / (n - 1))) : std::nan("");
    }
    out.clMean.push_back(std::move(mean));
    out.clStd.push_back(std::move(spread));
  }
  return out;
}

}  // namespace sky
