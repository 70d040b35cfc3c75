#include "explain/Masker.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

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
  throw SkyError(ErrorKind::InvalidArgument, "unknown masker '" + text + "' (use zero, value:V or blur:KXxKY)");
}

std::string MaskerSpec::text() const {
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
  return std::vector<float>(static_cast<size_t>(height) * width * channels, static_cast<float>(spec.value));
}

}  // namespace sky
