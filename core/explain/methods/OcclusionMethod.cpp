#include "explain/Occlusion.h"
#include "explain/methods/Methods.h"

namespace sky {

Explainer occlusionExplainer() {
  Explainer e{"occlusion", "Occlusion",
              "change of the output when a sliding patch is set to a baseline value, as Captum's Occlusion"};
  ExplainerParameter window{"window", ParameterKind::Text, "1x8x8",
                            "patch shape CxHxW in model-input pixels, or HxW across every channel"};
  window.metavar = "CxHxW|HxW";
  window.formerNames = {"occlusion_window"};
  window.fromFormer = [](const std::string& side) { return side + "x" + side; };  // square, every channel
  ExplainerParameter stride{"stride", ParameterKind::Text, "1x1x1",
                            "step between patches, CxHxW or HxW (Captum's default 1)"};
  stride.metavar = "CxHxW|HxW";
  stride.formerNames = {"occlusion_stride"};
  stride.fromFormer = [](const std::string& step) { return step + "x" + step; };
  ExplainerParameter baseline{"baseline-value", ParameterKind::Number, "0", "value the patch is set to", -1e30, 1e30};
  baseline.metavar = "V";
  e.parameters = {targetParameter("0"),
                  batchSizeParameter("occluded images per model call; does not change the values"), window, stride,
                  baseline};
  e.run = [](Model& model, const ImageBatch& batch, const ExplainerArguments& a, Progress& progress) {
    OcclusionOptions o;
    o.targets = a.targets();
    o.batchSize = a.integer("batch-size");
    o.window = parseWindowShape("window", a.text("window"), batch.shape.channels);
    o.strides = parseWindowShape("stride", a.text("stride"), 1);
    o.baseline = a.number("baseline-value");
    return explainOcclusion(model, batch, o, progress);
  };
  return e;
}

}  // namespace sky
