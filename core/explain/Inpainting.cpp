#include "explain/Inpainting.h"

#include <cmath>
#include <opencv2/photo.hpp>

#include "util/Error.h"

namespace sky {

uint8_t numpyUint8(float v) {
  if (!std::isfinite(v) || std::abs(v) >= 2147483648.0f) return 0;  // cvttss2si's overflow value, low byte 0
  return static_cast<uint8_t>(static_cast<uint32_t>(static_cast<int32_t>(v)) & 0xFFu);
}

std::vector<float> inpaintMasked(const float* hwc, const uint8_t* present, int height, int width, int channels,
                                 bool navierStokes) {
  if (channels != 1 && channels != 3) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "inpainting maskers need images of 1 or 3 channels (OpenCV's inpaint); "
                   "this one has " +
                       std::to_string(channels));
  }
  const size_t pixels = static_cast<size_t>(height) * width, n = pixels * channels;
  cv::Mat image(height, width, channels == 1 ? CV_8UC1 : CV_8UC3);
  cv::Mat hidden(height, width, CV_8UC1);
  size_t hiddenCount = 0;
  for (size_t p = 0; p < pixels; ++p) {
    uint8_t anyHidden = 0;
    for (int c = 0; c < channels; ++c) {
      image.data[p * channels + c] = numpyUint8(hwc[p * channels + c]);
      anyHidden |= present[p * channels + c] ? 0 : 1;
    }
    hidden.data[p] = anyHidden;
    hiddenCount += anyHidden;
  }
  std::vector<float> out(n);
  if (hiddenCount == pixels) {  // nothing left to inpaint from: the channel means (in float)
    for (int c = 0; c < channels; ++c) {
      double sum = 0;
      for (size_t p = 0; p < pixels; ++p) sum += hwc[p * channels + c];
      const auto mean = static_cast<float>(sum / static_cast<double>(pixels));
      for (size_t p = 0; p < pixels; ++p) out[p * channels + c] = mean;
    }
    return out;
  }
  cv::Mat filled;
  cv::inpaint(image, hidden, filled, 3, navierStokes ? cv::INPAINT_NS : cv::INPAINT_TELEA);
  for (size_t i = 0; i < n; ++i) out[i] = filled.data[i];
  return out;
}

}  // namespace sky
