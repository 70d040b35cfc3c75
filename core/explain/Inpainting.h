#pragma once
// shap's inpainting maskers (Image("inpaint_telea"), Image("inpaint_ns")), as shap 0.52 runs
// them: the image is cast to 8 bits the way numpy's astype(uint8) does (truncated toward zero,
// wrapping outside 0..255, so only images already in 0..255 keep their values), every pixel
// with a hidden channel is filled by OpenCV's cv::inpaint (radius 3, Telea or Navier-Stokes),
// and the result is read back as float; with every pixel hidden, each channel gets the mean of
// the original image. OpenCV's inpainting takes one or three channels.
#include <cstdint>
#include <vector>

namespace sky {

// `present` has one flag per feature (h, w, c channel-last); returns the masked (H, W, C) image.
std::vector<float> inpaintMasked(const float* hwc, const uint8_t* present, int height, int width, int channels,
                                 bool navierStokes);

// numpy's float -> uint8 cast (x86): truncation toward zero, then the low 8 bits.
uint8_t numpyUint8(float v);

}  // namespace sky
