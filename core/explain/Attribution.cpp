#include "explain/Attribution.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/Error.h"

namespace sky {

TargetSelection TargetSelection::parse(const std::string& text) {
  TargetSelection t;
  if (text == "all") return t;
  if (text.rfind("top", 0) == 0) {
    t.kind = Kind::TopK;
    char* end = nullptr;
    const long k = std::strtol(text.c_str() + 3, &end, 10);
    if (end == text.c_str() + 3 || *end != '\0' || k < 1) {
      throw SkyError(ErrorKind::InvalidArgument, "target '" + text + "': write topK with K >= 1, e.g. top2");
    }
    t.topK = static_cast<int>(k);
    return t;
  }
  t.kind = Kind::Indices;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || v < 0) {
      throw SkyError(ErrorKind::InvalidArgument,
                     "target '" + text + "' must be an output index, a list (0,2), 'all' or topK");
    }
    t.indices.push_back(static_cast<int>(v));
    start = comma + 1;
  }
  return t;
}

std::string TargetSelection::text() const {
  if (kind == Kind::All) return "all";
  if (kind == Kind::TopK) return "top" + std::to_string(topK);
  std::string s;
  for (int i : indices) s += (s.empty() ? "" : ",") + std::to_string(i);
  return s;
}

std::vector<int> resolveTargets(const TargetSelection& selection, const std::vector<double>& fx, int images,
                                int outputCount) {
  std::vector<int> out;
  for (int n = 0; n < images; ++n) {
    switch (selection.kind) {
      case TargetSelection::Kind::All:
        for (int k = 0; k < outputCount; ++k) out.push_back(k);
        break;
      case TargetSelection::Kind::Indices:
        for (int k : selection.indices) {
          if (k >= outputCount) {
            throw SkyError(ErrorKind::InvalidArgument, "target " + std::to_string(k) +
                                                           " does not exist: the model has " +
                                                           std::to_string(outputCount) + " output(s)");
          }
          out.push_back(k);
        }
        break;
      case TargetSelection::Kind::TopK: {
        if (selection.topK > outputCount) {
          throw SkyError(ErrorKind::InvalidArgument, "top" + std::to_string(selection.topK) +
                                                         " asks for more outputs than the model's " +
                                                         std::to_string(outputCount));
        }
        std::vector<int> order(outputCount);
        std::iota(order.begin(), order.end(), 0);
        const double* f = fx.data() + static_cast<size_t>(n) * outputCount;
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return f[a] > f[b]; });
        out.insert(out.end(), order.begin(), order.begin() + selection.topK);
        break;
      }
    }
  }
  if (out.empty()) throw SkyError(ErrorKind::InvalidArgument, "no target output selected");
  return out;
}

double Attribution::total(int n, int k) const {
  const size_t per = static_cast<size_t>(shape.size());
  const auto begin = values.begin() + static_cast<std::ptrdiff_t>((static_cast<size_t>(n) * targetsPerImage + k) * per);
  return std::accumulate(begin, begin + static_cast<std::ptrdiff_t>(per), 0.0);
}

void checkBatchForModel(const ImageBatch& batch, const Model& model) {
  if (batch.count < 1) throw SkyError(ErrorKind::InvalidArgument, "no images to explain");
  if (!(batch.shape == model.inputShape())) {
    throw SkyError(ErrorKind::InvalidData, "the model expects images of " + model.inputShape().text() +
                                               " (C, H, W) but got " + batch.shape.text());
  }
  if (batch.nchw.size() != static_cast<size_t>(batch.count) * static_cast<size_t>(batch.shape.size())) {
    throw SkyError(ErrorKind::Internal, "image batch size mismatch");
  }
  batch.checkFinite("input");
}

std::vector<float> toChannelLast(const float* chw, const ImageShape& s) {
  std::vector<float> hwc(static_cast<size_t>(s.size()));
  for (int c = 0; c < s.channels; ++c)
    for (int h = 0; h < s.height; ++h)
      for (int w = 0; w < s.width; ++w)
        hwc[(static_cast<size_t>(h) * s.width + w) * s.channels + c] =
            chw[(static_cast<size_t>(c) * s.height + h) * s.width + w];
  return hwc;
}

}  // namespace sky
