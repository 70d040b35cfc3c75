#pragma once
// A stack of planar images (channels, height, width) in row-major float64, C order:
// value(c, i, j) lives at data[(c*height + i)*width + j]. Row 0 of a cartview image is the
// SOUTH pole (healpy's projected-map layout); views flip rows when drawing north up.
#include <cstddef>
#include <span>
#include <vector>

namespace sky {

class Image {
 public:
  Image() = default;
  Image(int channels, int height, int width, double fill = 0.0)
      : channels_(channels),
        height_(height),
        width_(width),
        data_(static_cast<size_t>(channels) * height * width, fill) {}
  Image(int channels, int height, int width, std::vector<double> data);

  int channels() const { return channels_; }
  int height() const { return height_; }
  int width() const { return width_; }
  size_t planeSize() const { return static_cast<size_t>(height_) * width_; }

  double& at(int c, int i, int j) { return data_[(static_cast<size_t>(c) * height_ + i) * width_ + j]; }
  double at(int c, int i, int j) const { return data_[(static_cast<size_t>(c) * height_ + i) * width_ + j]; }
  std::span<const double> plane(int c) const { return {data_.data() + c * planeSize(), planeSize()}; }
  std::span<double> plane(int c) { return {data_.data() + c * planeSize(), planeSize()}; }
  const std::vector<double>& data() const { return data_; }
  std::vector<double>& data() { return data_; }

 private:
  int channels_ = 0, height_ = 0, width_ = 0;
  std::vector<double> data_;
};

}  // namespace sky
