#include "sky/Image.h"

#include <string>

#include "util/Error.h"

namespace sky {

Image::Image(int channels, int height, int width, std::vector<double> data)
    : channels_(channels), height_(height), width_(width), data_(std::move(data)) {
  if (channels < 1 || height < 1 || width < 1) {
    throw SkyError(ErrorKind::InvalidArgument, "image dimensions must be positive");
  }
  if (data_.size() != static_cast<size_t>(channels) * height * width) {
    throw SkyError(ErrorKind::InvalidData, "image data holds " + std::to_string(data_.size()) + " values, expected " +
                                               std::to_string(static_cast<size_t>(channels) * height * width));
  }
}

}  // namespace sky
