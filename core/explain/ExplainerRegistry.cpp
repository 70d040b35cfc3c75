#include "explain/ExplainerRegistry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>

#include "explain/methods/Methods.h"
#include "util/Error.h"

namespace sky {

namespace {

std::vector<Explainer> builtinExplainers() {
  return {partitionExplainer(), permutationExplainer(), integratedGradientsExplainer(),
          saliencyExplainer(),  smoothGradExplainer(),  gradientShapExplainer(),
          occlusionExplainer()};
}

std::vector<Explainer>& registry() {
  static std::vector<Explainer> all = builtinExplainers();
  return all;
}

std::string shortNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

std::string join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

// The allowed range as users read it: "3 to 500", or "at least 3" when the top is just int's.
std::string rangeText(const ExplainerParameter& p) {
  if (p.max >= 2147483647.0) return "at least " + shortNumber(p.min);
  return shortNumber(p.min) + " to " + shortNumber(p.max);
}

// Checks one value against its parameter (the messages of the command line's own options).
std::string checkedValue(const ExplainerParameter& p, const std::string& value) {
  const auto outOfRange = [&] {
    throw SkyError(ErrorKind::InvalidArgument, "--" + p.name + " " + value + " is out of range (" + rangeText(p) + ")");
  };
  switch (p.kind) {
    case ParameterKind::Integer: {
      long long v = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (value.empty() || end != value.data() + value.size() ||
          (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        throw SkyError(ErrorKind::Usage, "--" + p.name + " expects an integer, got '" + value + "'");
      }
      if (ec == std::errc::result_out_of_range || static_cast<double>(v) < p.min || static_cast<double>(v) > p.max)
        outOfRange();
      return std::to_string(v);
    }
    case ParameterKind::Number: {
      size_t used = 0;
      double v = 0;
      try {
        v = std::stod(value, &used);
      } catch (const std::out_of_range&) {
        v = HUGE_VAL, used = value.size();
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != value.size() || value.empty()) {
        throw SkyError(ErrorKind::Usage, "--" + p.name + " expects a number, got '" + value + "'");
      }
      if (!std::isfinite(v))
        throw SkyError(ErrorKind::InvalidArgument, "--" + p.name + " must be a finite number, got '" + value + "'");
      if (v < p.min || v > p.max) outOfRange();
      return value;
    }
    case ParameterKind::Choice:
      if (std::find(p.choices.begin(), p.choices.end(), value) == p.choices.end()) {
        throw SkyError(ErrorKind::Usage,
                       "--" + p.name + " is one of " + join(p.choices, ", ") + ", got '" + value + "'");
      }
      return value;
    case ParameterKind::Flag:
      if (value != "true" && value != "false") {
        throw SkyError(ErrorKind::Usage, p.name + " is true or false, got '" + value + "'");
      }
      return value;
    case ParameterKind::Text:
      return value;
  }
  return value;
}

}  // namespace

ExplainerArguments::ExplainerArguments(const Explainer& explainer, const ExplainerSettings& given, ImageLoader loader)
    : explainer_(&explainer), loader_(std::move(loader)) {
  for (const auto& entry : given) {
    const std::string& name = entry.first;  // a plain reference: lambdas cannot capture bindings in clang 14
    const auto it = std::find_if(explainer.parameters.begin(), explainer.parameters.end(),
                                 [&](const ExplainerParameter& p) { return p.name == name; });
    if (it == explainer.parameters.end()) {
      std::vector<std::string> names;
      for (const auto& p : explainer.parameters) names.push_back("--" + p.name);
      throw SkyError(ErrorKind::Usage,
                     explainer.name + " has no parameter --" + name + " (it takes " + join(names, ", ") + ")");
    }
  }
  for (const auto& p : explainer.parameters) {
    const auto it = given.find(p.name);
    values_[p.name] = checkedValue(p, it == given.end() ? p.defaultValue : it->second);
  }
}

const ExplainerParameter& ExplainerArguments::parameter(const std::string& name) const {
  for (const auto& p : explainer_->parameters) {
    if (p.name == name) return p;
  }
  throw SkyError(ErrorKind::Internal, explainer_->name + " reads an undeclared parameter " + name);
}

int ExplainerArguments::integer(const std::string& name) const {
  parameter(name);
  return std::stoi(values_.at(name));
}
double ExplainerArguments::number(const std::string& name) const {
  parameter(name);
  return std::stod(values_.at(name));
}
bool ExplainerArguments::flag(const std::string& name) const {
  parameter(name);
  return values_.at(name) == "true";
}
const std::string& ExplainerArguments::text(const std::string& name) const {
  parameter(name);
  return values_.at(name);
}
TargetSelection ExplainerArguments::targets() const { return TargetSelection::parse(text("target")); }

ImageBatch ExplainerArguments::images(const std::string& path) const {
  if (!loader_) throw SkyError(ErrorKind::InvalidArgument, "image files cannot be read here (" + path + ")");
  return loader_(path);
}

const std::vector<Explainer>& explainers() { return registry(); }

const Explainer& findExplainer(const std::string& name) {
  for (const auto& e : registry()) {
    if (e.name == name) return e;
  }
  std::vector<std::string> names;
  for (const auto& e : registry()) names.push_back(e.name);
  throw SkyError(ErrorKind::Usage, "unknown --method '" + name + "' (" + join(names, ", ") + ")");
}

void registerExplainer(Explainer explainer) {
  auto& all = registry();
  const auto it = std::find_if(all.begin(), all.end(), [&](const Explainer& e) { return e.name == explainer.name; });
  if (it != all.end())
    *it = std::move(explainer);
  else
    all.push_back(std::move(explainer));
}

std::vector<std::string> explainerParameterNames(ParameterKind kind) {
  std::set<std::string> names;
  for (const auto& e : registry()) {
    for (const auto& p : e.parameters) {
      if (p.kind == kind) names.insert(p.name);
    }
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> allExplainerParameterNames() {
  std::set<std::string> names;
  for (const auto& e : registry()) {
    for (const auto& p : e.parameters) names.insert(p.name);
  }
  return {names.begin(), names.end()};
}

Attribution runExplainer(const std::string& name, Model& model, const ImageBatch& batch,
                         const ExplainerSettings& settings, Progress& progress, const ImageLoader& loader) {
  const Explainer& explainer = findExplainer(name);
  const ExplainerArguments arguments(explainer, settings, loader);
  Attribution a = explainer.run(model, batch, arguments, progress);
  a.method = explainer.name;
  a.parameters.assign(arguments.values().begin(), arguments.values().end());
  return a;
}

Image explainImage(const std::string& name, Model& model, const Image& input, ExplainerSettings settings, int target,
                   const ImageLoader& loader) {
  settings["target"] = std::to_string(target);
  const ImageBatch batch = batchOf(input);
  Progress quiet;
  const Attribution a = runExplainer(name, model, batch, settings, quiet, loader);
  return Image(input.channels(), input.height(), input.width(),
               std::vector<double>(a.values.begin(), a.values.begin() + batch.shape.size()));
}

ExplainerSettings currentSettings(const Explainer& explainer, const std::map<std::string, std::string>& saved) {
  // Before the registry the app saved every parameter of every method in snake_case.
  const bool former = saved.count("max_evals") > 0;
  ExplainerSettings settings;
  for (const auto& p : explainer.parameters) {
    if (!former) {
      if (const auto it = saved.find(p.name); it != saved.end()) settings[p.name] = it->second;
      continue;
    }
    for (const auto& old : p.formerNames) {
      if (const auto it = saved.find(old); it != saved.end()) {
        settings[p.name] = p.fromFormer ? p.fromFormer(it->second) : it->second;
        break;
      }
    }
  }
  return settings;
}

ImageBatch baselineImages(const std::string& spec, const ImageShape& shape, const ImageLoader& loader) {
  ImageBatch b;
  b.shape = shape;
  if (spec == "zero") {
    b.count = 1;
    b.nchw.assign(static_cast<size_t>(shape.size()), 0.0f);
    return b;
  }
  if (spec.rfind("normal:", 0) == 0) {
    int count = 0;
    try {
      count = std::stoi(spec.substr(7));
    } catch (const std::exception&) {
      count = 0;
    }
    if (count < 1 || count > 4096) {
      throw SkyError(ErrorKind::Usage, "--baselines normal:N needs N from 1 to 4096 (got '" + spec + "')");
    }
    // Seeded, so a run can be repeated; unit variance, the scale of standardised model input.
    std::mt19937_64 rng(12345);
    std::normal_distribution<float> g;
    b.count = count;
    b.nchw.resize(static_cast<size_t>(count) * static_cast<size_t>(shape.size()));
    for (float& v : b.nchw) v = g(rng);
    return b;
  }
  if (!loader)
    throw SkyError(ErrorKind::InvalidArgument, "baseline images cannot be read from a file here (" + spec + ")");
  return loader(spec);
}

ImageShape parseWindowShape(const std::string& name, const std::string& text, int channels) {
  int c = 0, h = 0, w = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%dx%dx%d%c", &c, &h, &w, &extra) == 3 && c > 0 && h > 0 && w > 0) return {c, h, w};
  if (std::sscanf(text.c_str(), "%dx%d%c", &h, &w, &extra) == 2 && h > 0 && w > 0) return {channels, h, w};
  throw SkyError(ErrorKind::Usage,
                 "--" + name + " expects CxHxW or HxW with positive sizes, e.g. 1x8x8 (got '" + text + "')");
}

}  // namespace sky
