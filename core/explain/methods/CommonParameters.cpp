#include "explain/methods/Methods.h"

namespace sky {

ExplainerParameter targetParameter(const std::string& defaultValue) {
  ExplainerParameter p("target", ParameterKind::Text, defaultValue, "");
  p.metavar = "K|K,L|all|topK";
  p.help = "model outputs to explain: indices, all of them, or the k largest per image";
  p.formerNames = {"target"};
  return p;
}

ExplainerParameter batchSizeParameter(const std::string& help) {
  // A batch is built in memory at once: 4096 bounds it (the model splits large ones).
  ExplainerParameter p("batch-size", ParameterKind::Integer, "32", help, 1, 4096);
  p.metavar = "N";
  p.formerNames = {"batch_size"};
  return p;
}

ExplainerParameter maskerParameter() {
  ExplainerParameter p("masker", ParameterKind::Text, "zero",
                       "what hides a feature, as shap's Image masker: zero, value:V, blur:KXxKY (a box blur), "
                       "inpaint_telea or inpaint_ns (OpenCV inpainting of the image cast to 8 bits, as shap does: "
                       "for images in 0..255)");
  p.metavar = "zero|value:V|blur:KXxKY|inpaint_telea|inpaint_ns";
  p.formerNames = {"masker"};
  return p;
}

}  // namespace sky
