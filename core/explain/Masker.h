#pragma once
// What a masked feature becomes (shap's Image masker): a constant ("zero", "value:V"), the
// image blurred with a kx-by-ky box ("blur:KXxKY", OpenCV cv2.blur with BORDER_REFLECT_101),
// or the image inpainted around the hidden pixels ("inpaint_telea", "inpaint_ns";
// explain/Inpainting.h, with shap's 8-bit cast).
#include <cstdint>
#include <string>
#include <vector>

namespace sky {

struct MaskerSpec {
  enum class Kind { Value, Blur, Inpaint } kind = Kind::Value;
  double value = 0.0;
  int kx = 0, ky = 0;         // kernel width (columns) and height (rows)
  bool navierStokes = false;  // inpainting: Navier-Stokes instead of Telea

  static MaskerSpec parse(const std::string& text);
  std::string text() const;
  // A constant background is the same for every image (shap then evaluates f00 once).
  bool backgroundIsFixed() const { return kind == Kind::Value; }
};

// Mirror index for OpenCV's BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba).
int reflect101(int i, int n);

// cv2.blur of an (H, W, C) channel-last image, each channel independently.
std::vector<float> boxBlur(const float* hwc, int height, int width, int channels, int kx, int ky);

// The background image (H, W, C channel-last) that replaces masked features of `hwc` (for
// inpainting: the image with every feature masked, each channel's mean).
std::vector<float> maskerBackground(const MaskerSpec& spec, const float* hwc, int height, int width, int channels);

// The image with only the `present` features (one flag per feature) of `hwc` left, as the
// masker hides the others. For Value and Blur this is `hwc` over the background.
std::vector<float> maskedImage(const MaskerSpec& spec, const float* hwc, const uint8_t* present, int height, int width,
                               int channels);

}  // namespace sky
