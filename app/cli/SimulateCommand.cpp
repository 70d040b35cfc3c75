#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "Arguments.h"
#include "Commands.h"
#include "Interrupt.h"
#include "PhysicsOptions.h"
#include "io/HealpixFits.h"
#include "io/Json.h"
#include "io/Npy.h"
#include "simulate/DemoSkies.h"
#include "simulate/Manifest.h"
#include "simulate/SkySimulator.h"
#include "sky/Cartview.h"
#include "util/Error.h"

namespace cli {
namespace {

using sky::ErrorKind;
using sky::SkyError;

struct Range {
  double lo, hi;
};

// "--vary amp=0.03:0.09,h=0.6:0.75": uniform draws per map.
std::map<std::string, Range> parseRanges(const std::string& text) {
  std::map<std::string, Range> out;
  for (const auto& item : splitList(text)) {
    const auto eq = item.find('='), colon = item.find(':');
    char* end = nullptr;
    if (eq == std::string::npos || colon == std::string::npos || colon < eq) {
      throw SkyError(ErrorKind::Usage, "--vary expects NAME=MIN:MAX[,...], got '" + item + "'");
    }
    const double lo = std::strtod(item.c_str() + eq + 1, &end);
    const double hi = std::strtod(item.c_str() + colon + 1, nullptr);
    if (!(lo <= hi)) throw SkyError(ErrorKind::Usage, "--vary " + item + ": MIN must not exceed MAX");
    out[item.substr(0, eq)] = {lo, hi};
  }
  return out;
}

// "--grid amp=0.03/0.06/0.09,freq=800/1200": every combination, cycled over the maps.
std::vector<std::map<std::string, double>> parseGrid(const std::string& text) {
  std::vector<std::map<std::string, double>> combos = {{}};
  for (const auto& item : splitList(text)) {
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw SkyError(ErrorKind::Usage, "--grid expects NAME=V1/V2/...[,...], got '" + item + "'");
    std::vector<double> values;
    std::stringstream ss(item.substr(eq + 1));
    for (std::string v; std::getline(ss, v, '/');) {
      char* end = nullptr;
      values.push_back(std::strtod(v.c_str(), &end));
      if (end == v.c_str() || *end != '\0')
        throw SkyError(ErrorKind::Usage, "--grid " + item + ": '" + v + "' is not a number");
    }
    std::vector<std::map<std::string, double>> next;
    for (const auto& c : combos)
      for (double v : values) {
        auto n = c;
        n[item.substr(0, eq)] = v;
        next.push_back(std::move(n));
      }
    combos = std::move(next);
  }
  return combos;
}

// The options that decide the maps (all but --count, --out and the flags that only say how to
// write), kept as DIR/simulate-settings.json so --resume can refuse a run with other settings.
std::string settingsJson(const Arguments& args) {
  sky::JsonWriter j;
  j.beginObject().value("format", "skyinterpret-simulate/1").value("demo", args.has("demo"));
  j.beginObject("options");
  for (const auto& [name, value] : args.values()) {
    if (name != "count" && name != "out") j.value(name, value);
  }
  j.endObject().endObject();
  return j.text() + "\n";
}

std::string readText(const std::filesystem::path& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// --resume: the maps an earlier run finished (listed in its manifest and present), after
// checking that it used the same settings.
std::map<std::string, sky::ManifestEntry> finishedMaps(const std::filesystem::path& out, const std::string& settings) {
  const auto settingsPath = out / "simulate-settings.json";
  std::error_code ec;
  if (!std::filesystem::exists(settingsPath, ec)) {
    throw SkyError(ErrorKind::InvalidArgument, "--resume: " + out.string() +
                                                   " has no simulate-settings.json (not made by "
                                                   "simulate, or by a version before resuming existed)");
  }
  if (readText(settingsPath) != settings) {
    throw SkyError(ErrorKind::InvalidArgument, "--resume: " + out.string() +
                                                   " was simulated with other settings (see " + settingsPath.string() +
                                                   "); give the same options, or another --out");
  }
  std::map<std::string, sky::ManifestEntry> done;
  if (!std::filesystem::exists(out / "manifest.csv", ec)) return done;
  for (auto& e : sky::readManifest(out / "manifest.csv")) {
    if (std::filesystem::is_regular_file(out / e.file, ec)) done[e.file] = std::move(e);
  }
  return done;
}

// Rewrites the manifest (atomically) at most every quarter second while maps are being made,
// so a killed run leaves a manifest of complete maps that is usable as it stands and resumable.
class LiveManifest {
 public:
  // `settings` goes to simulate-settings.json with the first manifest, so a run that fails before
  // its first map leaves nothing behind.
  LiveManifest(const std::filesystem::path& out, std::string settings)
      : path_(out / "manifest.csv"), settingsPath_(out / "simulate-settings.json"), settings_(std::move(settings)) {}
  void add(sky::ManifestEntry e) {
    entries_.push_back(std::move(e));
    if (std::chrono::steady_clock::now() - written_ > std::chrono::milliseconds(250)) write();
  }
  void write() {
    if (!settings_.empty()) {
      sky::writeAtomically(settingsPath_, sky::Overwrite::Allow,
                           [&](const std::filesystem::path& temp) { std::ofstream(temp) << settings_; });
      settings_.clear();
    }
    sky::writeManifest(path_, entries_, sky::Overwrite::Allow);
    written_ = std::chrono::steady_clock::now();
  }
  size_t size() const { return entries_.size(); }

 private:
  std::filesystem::path path_, settingsPath_;
  std::string settings_;
  std::vector<sky::ManifestEntry> entries_;
  std::chrono::steady_clock::time_point written_{};
};

}  // namespace

int runSimulate(const std::vector<std::string>& argv) {
  const Arguments args(argv, {"nside",        "count",     "out",      "fields", "seed",
                              "beam",         "noise",     "mask-lat", "mask",   "mask-threshold",
                              "masked-value", "format",    "xsize",    "vary",   "grid",
                              "omega-b",      "omega-cdm", "h",        "ns",     "as",
                              "tau",          "amp",       "freq",     "wid",    "centre",
                              "phase"},
                       {"force", "demo", "resume"});
  args.expectPositionals(0, "simulate --nside N --count K --out DIR");
  // --demo: the skies the shipped demo model was trained on (core/simulate/DemoSkies.h).
  const bool demo = args.has("demo");
  const sky::DemoSettings demoDefaults = sky::demoSettings();
  const auto overwrite = args.has("force") ? sky::Overwrite::Allow : sky::Overwrite::Refuse;
  const std::filesystem::path out = args.require("out");
  const int count = args.requireInt("count");
  if (count < 1 || count > 1000000) throw SkyError(ErrorKind::InvalidArgument, "--count must be between 1 and 1000000");
  const std::string format = args.get("format").value_or(demo ? "npy" : "fits");
  if (format != "fits" && format != "npy" && format != "both")
    throw SkyError(ErrorKind::Usage, "--format is fits, npy or both");
  const std::string fields = args.get("fields").value_or("T");
  if (fields != "T" && fields != "TQU") throw SkyError(ErrorKind::Usage, "--fields is T or TQU");
  const int xsize = args.getInt("xsize", demoDefaults.imageWidth);
  const sky::CartviewGrid grid = sky::CartviewGrid::forWidth(xsize);
  const auto ranges = parseRanges(args.get("vary").value_or(""));
  const auto parameterGrid = parseGrid(args.get("grid").value_or(""));
  const std::set<std::string> known(physicsOptionNames().begin(), physicsOptionNames().end());
  for (const auto& [name, range] : ranges) {
    if (!known.count(name)) throw SkyError(ErrorKind::Usage, "--vary: unknown parameter '" + name + "'");
  }
  for (const auto& [name, value] : parameterGrid.front()) {
    if (!known.count(name)) throw SkyError(ErrorKind::Usage, "--grid: unknown parameter '" + name + "'");
    if (ranges.count(name))
      throw SkyError(ErrorKind::Usage, "'" + name + "' cannot be both on the --grid and in --vary");
  }

  sky::SkyOptions sky;
  sky.nside = demo ? args.getInt("nside", demoDefaults.sky.nside) : args.requireInt("nside");
  sky.polarised = fields == "TQU";
  sky.beamFwhmArcmin = args.getDouble("beam", demo ? demoDefaults.sky.beamFwhmArcmin : 0.0);
  sky.noiseMicroKArcmin = args.getDouble("noise", demo ? demoDefaults.sky.noiseMicroKArcmin : 0.0);
  sky.mask.latitudeCutDeg = args.getDouble("mask-lat", 0.0);
  if (const auto m = args.get("mask")) sky.mask.file = *m;
  sky.mask.threshold = args.getDouble("mask-threshold", 0.5);
  const std::string masked = args.get("masked-value").value_or("zero");
  if (masked != "zero" && masked != "unseen") throw SkyError(ErrorKind::Usage, "--masked-value is zero or unseen");
  sky.maskedValue = masked == "zero" ? sky::MaskedValue::Zero : sky::MaskedValue::Unseen;
  if (!sky::isValidNside(sky.nside)) throw SkyError(ErrorKind::InvalidArgument, "--nside must be a power of two");

  const bool resume = args.has("resume");
  if (resume && args.has("force"))
    throw SkyError(ErrorKind::Usage, "--resume keeps finished maps; --force remakes them: give one");
  // Fail before any work on an unusable output directory.
  std::error_code ec;
  if (!std::filesystem::is_directory(out, ec)) {
    const auto parent = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    if (!std::filesystem::is_directory(parent, ec)) {
      throw SkyError(ErrorKind::OutputUnwritable, "the parent of " + out.string() + " does not exist");
    }
    std::filesystem::create_directory(out, ec);
    if (ec) throw SkyError(ErrorKind::OutputUnwritable, "cannot create " + out.string() + ": " + ec.message());
  }
  const std::string settings = settingsJson(args);
  const std::map<std::string, sky::ManifestEntry> finished =
      resume ? finishedMaps(out, settings) : std::map<std::string, sky::ManifestEntry>{};
  // Maps of the earlier run that its manifest does not list yet are remade (same seed, same map).
  const auto mapOverwrite = resume ? sky::Overwrite::Allow : overwrite;
  sky::checkOutputPaths({out / "manifest.csv", out / "simulate-settings.json"},
                        resume ? sky::Overwrite::Allow : overwrite);

  const unsigned long long baseSeed = static_cast<unsigned long long>(args.getInt("seed", 0));
  const std::map<std::string, double> fixed =
      physicsParameters(args, demoDefaults.cosmology, demo ? demoDefaults.feature : sky::OscillatoryFeature{});
  sky::Progress progress = terminalProgress("simulate");
  LiveManifest manifest(out, settings);
  size_t reused = 0;
  const int lmax = 3 * sky.nside - 1;
  try {
    for (int i = 0; i < 2 * count; ++i) {
      const int label = i % 2;  // interleave the classes so a cancelled run stays balanced
      sky::ManifestEntry e;
      e.label = label;
      e.seed = baseSeed * 1000003ULL + static_cast<unsigned long long>(i);
      std::mt19937_64 draw(e.seed ^ 0xa0761d6478bd642fULL);
      e.parameters = fixed;
      for (const auto& [name, value] : parameterGrid[static_cast<size_t>(i / 2) % parameterGrid.size()]) {
        e.parameters[name] = value;
      }
      for (const auto& [name, range] : ranges)
        e.parameters[name] = std::uniform_real_distribution<double>(range.lo, range.hi)(draw);
      char stem[64];
      std::snprintf(stem, sizeof stem, "sim_%06d_%s", i, label ? "feature" : "lcdm");
      const std::string file = std::string(stem) + (format == "npy" ? ".npy" : ".fits");
      if (const auto it = finished.find(file); it != finished.end() && it->second.seed == e.seed) {
        manifest.add(it->second);
        ++reused;
        continue;
      }
      const sky::Cosmology c = cosmologyOf(e.parameters);
      sky::TheorySpectra spectra = sky::lcdmSpectra(c, lmax);
      if (label == 1) {
        const sky::OscillatoryFeature f = featureOf(e.parameters);
        spectra = sky::withFeature(spectra, f, sky::acousticScales(c).comovingDistance);
      }
      sky.seed = e.seed;
      const sky::SkyMap map = sky::simulateSky(spectra, sky);
      if (format != "npy") {
        sky::FitsWriteOptions fo;
        fo.overwrite = mapOverwrite;
        fo.precision = sky::FitsPrecision::Float32;
        fo.coordinateSystem = "G";
        sky::writeHealpixFits(map, out / (std::string(stem) + ".fits"), fo);
        e.file = std::string(stem) + ".fits";
      }
      if (format != "fits") {
        const sky::Image image = sky::projectCartview(map, grid);
        const std::vector<float> values(image.data().begin(), image.data().end());
        sky::writeNpy(out / (std::string(stem) + ".npy"),
                      {static_cast<size_t>(image.channels()), static_cast<size_t>(image.height()),
                       static_cast<size_t>(image.width())},
                      std::span<const float>(values), mapOverwrite);
        if (format == "npy") e.file = std::string(stem) + ".npy";
      }
      manifest.add(std::move(e));
      progress.report(i + 1, 2LL * count);
    }
  } catch (const SkyError& e) {
    if (e.kind() == ErrorKind::Cancelled && manifest.size() > 0) {
      manifest.write();
      std::cerr << "\ninterrupted: " << manifest.size() << " maps are in the manifest; rerun with --resume to finish\n";
    }
    throw;
  }
  manifest.write();
  std::cerr << "\nwrote " << manifest.size() - reused << " maps"
            << (reused ? " (" + std::to_string(reused) + " kept from the earlier run)" : "") << " and "
            << (out / "manifest.csv").string() << "\n";
  return 0;
}

}  // namespace cli
