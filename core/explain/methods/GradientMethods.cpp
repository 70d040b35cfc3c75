// The Captum-compatible gradient methods.
#include "explain/GradientExplainers.h"
#include "explain/methods/Methods.h"

namespace sky {

namespace {

ExplainerParameter noAbs(const std::string& help) {
  ExplainerParameter p{"no-abs", ParameterKind::Flag, "false", help};
  return p;
}
ExplainerParameter integer(const std::string& name, const std::string& value, double min, double max,
                           const std::string& help, const std::string& former) {
  ExplainerParameter p{name, ParameterKind::Integer, value, help, min, max};
  p.metavar = "N";
  if (!former.empty()) p.formerNames = {former};
  return p;
}
ExplainerParameter number(const std::string& name, const std::string& value, double max, const std::string& help) {
  ExplainerParameter p{name, ParameterKind::Number, value, help, 0, max};
  p.metavar = "X";
  return p;
}
const char* kBatchHelp = "inputs per gradient pass (Captum's internal_batch_size); does not change the values";

// The settings SmoothGrad and GradientSHAP share: targets, batch size and the seeded sampling.
template <typename Options>
void readSampling(Options& o, const ExplainerArguments& a) {
  o.targets = a.targets();
  o.batchSize = a.integer("batch-size");
  o.samples = a.integer("samples");
  o.stdev = a.number("stdev");
  o.seed = static_cast<uint64_t>(a.integer("seed"));
}

}  // namespace

Explainer saliencyExplainer() {
  Explainer e{"saliency", "Saliency", "input gradients of the target output, as Captum's Saliency", true};
  e.parameters = {targetParameter("0"), batchSizeParameter(kBatchHelp),
                  noAbs("signed gradients instead of Captum's abs=True")};
  e.run = [](Model& model, const ImageBatch& batch, const ExplainerArguments& a, Progress& progress) {
    SaliencyOptions o;
    o.targets = a.targets();
    o.batchSize = a.integer("batch-size");
    o.absolute = !a.flag("no-abs");
    return explainSaliency(model, batch, o, progress);
  };
  return e;
}

Explainer integratedGradientsExplainer() {
  Explainer e{"integrated-gradients", "Integrated Gradients",
              "path integral of gradients from a baseline, as Captum's IntegratedGradients (with convergence deltas)",
              true};
  ExplainerParameter rule{"integration", ParameterKind::Choice, "gausslegendre", "quadrature rule along the path"};
  rule.choices = {"gausslegendre", "riemann_left", "riemann_right", "riemann_middle", "riemann_trapezoid"};
  rule.metavar = "RULE";
  ExplainerParameter baselines{"baselines", ParameterKind::Text, "zero",
                               "zero (Captum's default), normal:N, or a file of baseline images (B.npy)"};
  baselines.metavar = "zero|normal:N|B.npy";
  baselines.formerNames = {"baselines"};
  baselines.fromFormer = [](const std::string&) { return std::string("zero"); };  // the app always used zeros
  e.parameters = {targetParameter("0"), batchSizeParameter(kBatchHelp),
                  integer("steps", "50", 1, 100000, "points along the path (Captum's n_steps)", "steps"), rule,
                  baselines};
  e.run = [](Model& model, const ImageBatch& batch, const ExplainerArguments& a, Progress& progress) {
    IntegratedGradientsOptions o;
    o.targets = a.targets();
    o.batchSize = a.integer("batch-size");
    o.steps = a.integer("steps");
    o.rule = parseQuadratureRule(a.text("integration"));
    if (a.text("baselines") != "zero") {
      o.baselines = baselineImages(a.text("baselines"), batch.shape, [&](const std::string& p) { return a.images(p); });
    }
    return explainIntegratedGradients(model, batch, o, progress);
  };
  return e;
}

Explainer smoothGradExplainer() {
  Explainer e{"smoothgrad", "SmoothGrad", "saliency averaged over noisy copies of the input, as Captum's NoiseTunnel",
              true};
  ExplainerParameter kind{"nt-type", ParameterKind::Choice, "smoothgrad", "how the noisy gradients combine"};
  kind.choices = {"smoothgrad", "smoothgrad_sq", "vargrad"};
  kind.metavar = "TYPE";
  e.parameters = {targetParameter("0"),
                  batchSizeParameter(kBatchHelp),
                  integer("samples", "5", 1, 100000, "noisy samples (Captum's nt_samples)", "samples"),
                  number("stdev", "1", 1e6, "noise sigma in model-input units (Captum's stdevs)"),
                  integer("seed", "0", 0, 2147483647, "seed of the noise", ""),
                  kind,
                  noAbs("signed gradients of each sample instead of their absolute values")};
  e.run = [](Model& model, const ImageBatch& batch, const ExplainerArguments& a, Progress& progress) {
    NoiseTunnelOptions o;
    readSampling(o, a);
    o.kind = parseNoiseTunnelKind(a.text("nt-type"));
    o.absolute = !a.flag("no-abs");
    return explainNoiseTunnel(model, batch, o, progress);
  };
  return e;
}

Explainer gradientShapExplainer() {
  Explainer e{"gradient-shap", "GradientSHAP",
              "expected gradients between baselines and the input, as Captum's GradientShap", true};
  ExplainerParameter baselines{"baselines", ParameterKind::Text, "normal:8",
                               "baseline images: normal:N (N seeded N(0,1) images in model-input units), zero, or a "
                               "file (B.npy)"};
  baselines.metavar = "normal:N|zero|B.npy";
  baselines.formerNames = {"baselines"};
  baselines.fromFormer = [](const std::string& count) { return "normal:" + count; };
  e.parameters = {
      targetParameter("0"),
      batchSizeParameter(kBatchHelp),
      integer("samples", "5", 1, 100000, "random baseline and path points per input (Captum's n_samples)", "samples"),
      number("stdev", "0", 1e6, "noise sigma added to the input per sample (Captum's stdevs)"),
      integer("seed", "0", 0, 2147483647, "seed of the draws", ""),
      baselines};
  e.run = [](Model& model, const ImageBatch& batch, const ExplainerArguments& a, Progress& progress) {
    GradientShapOptions o;
    readSampling(o, a);
    o.baselines = baselineImages(a.text("baselines"), batch.shape, [&](const std::string& p) { return a.images(p); });
    return explainGradientShap(model, batch, o, progress);
  };
  return e;
}

}  // namespace sky
