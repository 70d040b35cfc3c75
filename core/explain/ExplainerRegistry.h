#pragma once
// Every explainer the engine offers, described once: name, label, parameters (kind, default,
// range, help) and how to run it. The CLI's options and usage text (hence the man page), the
// app's explainer form, batch settings, session files, sidecars and FITS headers all come from
// here, under one naming scheme: the command line's (kebab-case, "max-evals").
//
// Adding an explainer: one file in explain/methods/ that returns its Explainer, and a line in
// builtinExplainers() (ExplainerRegistry.cpp).
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "explain/Attribution.h"
#include "jobs/Progress.h"
#include "sky/Image.h"

namespace sky {

enum class ParameterKind {
  Integer,  // whole number in [min, max]
  Number,   // finite real in [min, max]
  Choice,   // one of `choices`
  Flag,     // "true" or "false"; on the command line, present or absent
  Text,     // free text checked by the explainer (targets, maskers, shapes, baselines)
};

struct ExplainerParameter {
  ExplainerParameter() = default;
  ExplainerParameter(std::string name_, ParameterKind kind_, std::string default_, std::string help_, double min_ = 0,
                     double max_ = 0)
      : name(std::move(name_)),
        kind(kind_),
        defaultValue(std::move(default_)),
        help(std::move(help_)),
        min(min_),
        max(max_) {}

  std::string name;  // "max-evals": --max-evals, and the key everywhere else
  ParameterKind kind = ParameterKind::Text;
  std::string defaultValue;          // as text
  std::string help;                  // one line; says what the default means where it is not obvious
  double min = 0, max = 0;           // Integer and Number
  std::vector<std::string> choices;  // Choice
  std::string metavar = "V";         // "N", "K|K,L|all|topK", for usage text
  // Names the app's sessions used before this registry (max_evals), and how their values
  // read now (an occlusion window of 8 meant 8x8 over every channel).
  std::vector<std::string> formerNames;
  std::function<std::string(const std::string&)> fromFormer;
};

// A run's settings: parameter name -> value as text. Absent parameters take their defaults.
using ExplainerSettings = std::map<std::string, std::string>;

// Reads the images a parameter names (GradientSHAP baselines from a file): the CLI reads .npy
// or FITS through the model card, the app has none (its baselines are synthesised).
using ImageLoader = std::function<ImageBatch(const std::string& path)>;

struct Explainer;

// The settings of one run, checked against the explainer's parameters and completed with
// defaults. Wrong values are SkyError(Usage) naming the parameter and what it accepts.
class ExplainerArguments {
 public:
  ExplainerArguments(const Explainer& explainer, const ExplainerSettings& given, ImageLoader loader = {});

  int integer(const std::string& name) const;
  double number(const std::string& name) const;
  bool flag(const std::string& name) const;
  const std::string& text(const std::string& name) const;
  TargetSelection targets() const;                             // the "target" parameter
  ImageBatch images(const std::string& path) const;            // through the loader
  const ExplainerSettings& values() const { return values_; }  // every parameter

 private:
  const ExplainerParameter& parameter(const std::string& name) const;
  const Explainer* explainer_;
  ExplainerSettings values_;
  ImageLoader loader_;
};

struct Explainer {
  Explainer() = default;
  Explainer(std::string name_, std::string label_, std::string summary_, bool needsGradients_ = false)
      : name(std::move(name_)),
        label(std::move(label_)),
        summary(std::move(summary_)),
        needsGradients(needsGradients_) {}

  std::string name;     // "partition": --method partition
  std::string label;    // "SHAP Partition", for menus
  std::string summary;  // one line: what it computes, and whose numbers it reproduces
  bool needsGradients = false;
  std::vector<ExplainerParameter> parameters;
  std::function<Attribution(Model&, const ImageBatch&, const ExplainerArguments&, Progress&)> run;
};

// The registered explainers, in menu order.
const std::vector<Explainer>& explainers();
// The explainer called `name`; SkyError(Usage) listing the known names otherwise.
const Explainer& findExplainer(const std::string& name);
// Adds (or replaces, by name) an explainer: for tests and extensions. Not thread-safe: call
// before anything reads the registry from another thread.
void registerExplainer(Explainer explainer);
// Every parameter name of every explainer (the options explain, batch and aggregate accept).
std::vector<std::string> explainerParameterNames(ParameterKind kind);
std::vector<std::string> allExplainerParameterNames();

// Checks `settings`, runs the explainer and records every setting (defaults included) in the
// result's parameters, under the registry's names.
Attribution runExplainer(const std::string& name, Model& model, const ImageBatch& batch,
                         const ExplainerSettings& settings, Progress& progress, const ImageLoader& loader = {});

// One image (C, H, W) explained for one model output `target` (the settings' own target is
// replaced): the attribution image. For metrics and sanity checks that re-explain.
Image explainImage(const std::string& name, Model& model, const Image& input, ExplainerSettings settings, int target,
                   const ImageLoader& loader = {});

// Settings saved by the app before the registry (snake_case keys, every parameter of every
// method) as the explainer's current settings; current-format settings pass through.
ExplainerSettings currentSettings(const Explainer& explainer, const std::map<std::string, std::string>& saved);

// Baseline images from a spec: "zero" (one zero image), "normal:N" (N seeded N(0,1) images in
// model-input units), or a file read by `loader`.
ImageBatch baselineImages(const std::string& spec, const ImageShape& shape, const ImageLoader& loader);

// "CxHxW", or "HxW" for every channel (C = `channels`): occlusion windows and strides.
ImageShape parseWindowShape(const std::string& name, const std::string& text, int channels);

}  // namespace sky
