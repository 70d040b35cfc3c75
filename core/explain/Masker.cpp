#include "explain/Masker.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "explain/Inpainting.h"
#include "util/Error.h"

namespace sky {

MaskerSpec MaskerSpec::parse(const std::string& text) {
  MaskerSpec m;
  if (text == "zero") return m;
  if (text.rfind("value:", 0) == 0) {
    char* end = nullptr;
    m.value = std::strtod(text.c_str() + 6, &end);
    if (end == text.c_str() + 6 || *end != '\0') {
      throw SkyError(ErrorKind::InvalidArgument, "masker '" + text + "': expected value:NUMBER");
    }
    if (!std::isfinite(m.value)) {
      throw SkyError(ErrorKind::InvalidArgument, "masker '" + text + "': the value must be a finite number");
    }
    return m;
  }
  if (text.rfind("blur:", 0) == 0) {
    m.kind = Kind::Blur;
    char extra = 0;
    if (std::sscanf(text.c_str() + 5, "%dx%d%c", &m.kx, &m.ky, &extra) != 2 || m.kx < 1 || m.ky < 1) {
      throw SkyError(ErrorKind::InvalidArgument,
                     "masker '" + text + "': expected blur:KXxKY with positive sizes, e.g. blur:16x16");
    }
    return m;
  }
  if (text == "inpaint_telea" || text == "inpaint_ns") {
    m.kind = Kind::Inpaint;
    m.navierStokes = text == "inpaint_ns";
    return m;
  }
  throw SkyError(ErrorKind::InvalidArgument,
                 "unknown masker '" + text + "' (use zero, value:V, blur:KXxKY, inpaint_telea or inpaint_ns)");
}

std::string MaskerSpec::text() const {
  if (kind == Kind::Inpaint) return navierStokes ? "inpaint_ns" : "inpaint_telea";
  if (kind == Kind::Blur) return "blur:" + std::to_string(kx) + "x" + std::to_string(ky);
  if (value == 0.0) return "zero";
  char buf[64];
  std::snprintf(buf, sizeof buf, "value:%.17g", value);
  return buf;
}

int reflect101(int i, int n) {
  if (n == 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
  return i;
}

std::vector<float> boxBlur(const float* hwc, int height, int width, int channels, int kx, int ky) {
  // OpenCV's anchor is the kernel centre: window [x - k/2, x - k/2 + k - 1]; sums in double.
  const int ax = kx / 2, ay = ky / 2;
  std::vector<double> rows(static_cast<size_t>(height) * width * channels);
  for (int h = 0; h < height; ++h)
    for (int w = 0; w < width; ++w)
      for (int c = 0; c < channels; ++c) {
        double s = 0.0;
        for (int d = 0; d < kx; ++d)
          s += hwc[(static_cast<size_t>(h) * width + reflect101(w - ax + d, width)) * channels + c];
        rows[(static_cast<size_t>(h) * width + w) * channels + c] = s;
      }
  std::vector<float> out(rows.size());
  const double scale = 1.0 / (static_cast<double>(kx) * ky);
  for (int h = 0; h < height; ++h)
    for (int w = 0; w < width; ++w)
      for (int c = 0; c < channels; ++c) {
        double s = 0.0;
        for (int d = 0; d < ky; ++d)
          s += rows[(static_cast<size_t>(reflect101(h - ay + d, height)) * width + w) * channels + c];
        out[(static_cast<size_t>(h) * width + w) * channels + c] = static_cast<float>(s * scale);
      }
  return out;
}

std::vector<float> maskerBackground(const MaskerSpec& spec, const float* hwc, int height, int width, int channels) {
  if (spec.kind == MaskerSpec::Kind::Blur) return boxBlur(hwc, height, width, channels, spec.kx, spec.ky);
  if (spec.kind == MaskerSpec::Kind::Inpaint) {
    const std::vector<uint8_t> none(static_cast<size_t>(height) * width * channels, 0);
    return inpaintMasked(hwc, none.data(), height, width, channels, spec.navierStokes);
  }
  return std::vector<float>(static_cast<size_t>(height) * width * channels, static_cast<float>(spec.value));
}

std::vector<float> maskedImage(const MaskerSpec& spec, const float* hwc, const uint8_t* present, int height, int width,
                               int channels) {
  if (spec.kind == MaskerSpec::Kind::Inpaint)
    return inpaintMasked(hwc, present, height, width, channels, spec.navierStokes);
  std::vector<float> out = maskerBackground(spec, hwc, height, width, channels);
  for (size_t i = 0; i < out.size(); ++i)
    if (present[i]) out[i] = hwc[i];
  return out;
}

}  // namespace sky
