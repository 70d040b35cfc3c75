#pragma once
// Small pure-C++ models implementing sky::Model, for explainer tests with known answers.
#include <functional>
#include <numeric>

#include "explain/Attribution.h"
#include "model/Model.h"

namespace skytest {

// f(x) given per image as a function of the NCHW values; gradients by central differences
// (or an analytic gradient when one is given).
class FunctionModel : public sky::Model {
 public:
  using Function = std::function<std::vector<double>(const std::vector<double>& chw)>;
  using Gradient = std::function<std::vector<double>(const std::vector<double>& chw, int target)>;

  FunctionModel(sky::ImageShape shape, int outputs, Function f, Gradient g = {})
      : shape_(shape), outputs_(outputs), f_(std::move(f)), g_(std::move(g)) {
    card_.height = shape.height;
    card_.width = shape.width;
    card_.channels.assign(shape.channels, "T");
  }
  sky::ImageShape inputShape() const override { return shape_; }
  int outputCount() const override { return outputs_; }
  const sky::ModelCard& card() const override { return card_; }
  long long rowsEvaluated = 0;
  std::vector<int> callSizes;

  void evaluate(std::span<const float> batch, int n, sky::Layout layout, std::span<double> out) override {
    rowsEvaluated += n;
    callSizes.push_back(n);
    for (int i = 0; i < n; ++i) {
      const auto y = f_(imageAt(batch, i, layout));
      std::copy(y.begin(), y.end(), out.begin() + static_cast<std::ptrdiff_t>(i) * outputs_);
    }
  }
  void gradient(std::span<const float> batch, int n, sky::Layout layout, int target, std::span<float> grad,
                std::span<double> out) override {
    const size_t per = static_cast<size_t>(shape_.size());
    for (int i = 0; i < n; ++i) {
      std::vector<double> x = imageAt(batch, i, layout);
      std::vector<double> g;
      if (g_) {
        g = g_(x, target);
      } else {
        g.resize(per);
        for (size_t j = 0; j < per; ++j) {
          const double h = 1e-3, keep = x[j];
          x[j] = keep + h;
          const double up = f_(x)[target];
          x[j] = keep - h;
          const double down = f_(x)[target];
          x[j] = keep;
          g[j] = (up - down) / (2 * h);
        }
      }
      for (size_t j = 0; j < per; ++j) grad[i * per + toLayout(j, layout)] = static_cast<float>(g[j]);
      if (!out.empty()) {
        const auto y = f_(x);
        std::copy(y.begin(), y.end(), out.begin() + static_cast<std::ptrdiff_t>(i) * outputs_);
      }
    }
  }

 private:
  // Index of NCHW element j in the given layout.
  size_t toLayout(size_t j, sky::Layout layout) const {
    if (layout == sky::Layout::NCHW) return j;
    const size_t hw = static_cast<size_t>(shape_.height) * shape_.width;
    const size_t c = j / hw, rest = j % hw;
    return rest * shape_.channels + c;
  }
  std::vector<double> imageAt(std::span<const float> batch, int i, sky::Layout layout) const {
    const size_t per = static_cast<size_t>(shape_.size());
    std::vector<double> x(per);
    for (size_t j = 0; j < per; ++j) x[j] = batch[i * per + toLayout(j, layout)];
    return x;
  }

  sky::ImageShape shape_;
  int outputs_;
  Function f_;
  Gradient g_;
  sky::ModelCard card_;
};

inline sky::ImageBatch batchFromNchw(sky::ImageShape shape, const std::vector<double>& values) {
  sky::ImageBatch b;
  b.shape = shape;
  b.count = static_cast<int>(values.size() / static_cast<size_t>(shape.size()));
  b.nchw.assign(values.begin(), values.end());
  return b;
}

}  // namespace skytest
