#include "explain/Occlusion.h"

#include <chrono>

#include "util/Error.h"

namespace sky {

Attribution explainOcclusion(Model& model, const ImageBatch& batch, const OcclusionOptions& options,
                             Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  checkBatchForModel(batch, model);
  const ImageShape s = batch.shape, win = options.window, st = options.strides;
  if (win.channels < 1 || win.height < 1 || win.width < 1 || win.channels > s.channels || win.height > s.height ||
      win.width > s.width) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "occlusion window " + win.text() + " must fit inside the image " + s.text());
  }
  if (st.channels < 1 || st.height < 1 || st.width < 1) {
    throw SkyError(ErrorKind::InvalidArgument, "occlusion strides must be positive");
  }
  if (options.batchSize < 1) throw SkyError(ErrorKind::InvalidArgument, "batch size must be at least 1");
  const int outputs = model.outputCount();
  std::vector<double> fx(static_cast<size_t>(batch.count) * outputs);
  model.evaluate(batch.nchw, batch.count, Layout::NCHW, fx);

  Attribution a;
  a.method = "occlusion";
  a.shape = s;
  a.images = batch.count;
  a.outputNames = model.outputNames();
  a.targetIndex = resolveTargets(options.targets, fx, batch.count, outputs);
  const int k = static_cast<int>(a.targetIndex.size()) / batch.count;
  a.targetsPerImage = k;
  a.values.assign(static_cast<size_t>(batch.count) * k * s.size(), 0.0);
  char baseline[32];
  std::snprintf(baseline, sizeof baseline, "%.17g", options.baseline);
  a.parameters = {{"target", options.targets.text()},
                  {"window", win.text()},
                  {"strides", st.text()},
                  {"baselines", baseline},
                  {"batch_size", std::to_string(options.batchSize)}};

  // Window positions (Captum: (dim - window) // stride + 1 per dimension).
  struct Position {
    int c, h, w;
  };
  std::vector<Position> positions;
  for (int c = 0; c + win.channels <= s.channels; c += st.channels)
    for (int h = 0; h + win.height <= s.height; h += st.height)
      for (int w = 0; w + win.width <= s.width; w += st.width) positions.push_back({c, h, w});
  std::vector<double> coverage(static_cast<size_t>(s.size()), 0.0);
  for (const auto& p : positions)
    for (int c = p.c; c < p.c + win.channels; ++c)
      for (int h = p.h; h < p.h + win.height; ++h)
        for (int w = p.w; w < p.w + win.width; ++w)
          coverage[(static_cast<size_t>(c) * s.height + h) * s.width + w] += 1.0;

  const size_t per = static_cast<size_t>(s.size());
  const long long total = static_cast<long long>(batch.count) * static_cast<long long>(positions.size());
  long long done = 0;
  std::vector<float> rows;
  std::vector<double> out;
  for (int n = 0; n < batch.count; ++n) {
    const float* x = batch.image(n);
    for (int j = 0; j < k; ++j) a.outputs.push_back(fx[static_cast<size_t>(n) * outputs + a.targetIndex[n * k + j]]);
    for (size_t first = 0; first < positions.size(); first += options.batchSize) {
      const size_t count = std::min(positions.size() - first, static_cast<size_t>(options.batchSize));
      rows.assign(x, x + per);
      rows.resize(count * per);
      for (size_t r = 1; r < count; ++r) std::copy(x, x + per, rows.begin() + r * per);
      for (size_t r = 0; r < count; ++r) {
        const Position& p = positions[first + r];
        for (int c = p.c; c < p.c + win.channels; ++c)
          for (int h = p.h; h < p.h + win.height; ++h)
            for (int w = p.w; w < p.w + win.width; ++w)
              rows[r * per + (static_cast<size_t>(c) * s.height + h) * s.width + w] =
                  static_cast<float>(options.baseline);
      }
      out.resize(count * outputs);
      model.evaluate(rows, static_cast<int>(count), Layout::NCHW, out);
      for (size_t r = 0; r < count; ++r) {
        const Position& p = positions[first + r];
        for (int j = 0; j < k; ++j) {
          const int t = a.targetIndex[n * k + j];
          const double drop = fx[static_cast<size_t>(n) * outputs + t] - out[r * outputs + t];
          double* dst = a.values.data() + (static_cast<size_t>(n) * k + j) * per;
          for (int c = p.c; c < p.c + win.channels; ++c)
            for (int h = p.h; h < p.h + win.height; ++h)
              for (int w = p.w; w < p.w + win.width; ++w)
                dst[(static_cast<size_t>(c) * s.height + h) * s.width + w] += drop;
        }
      }
      done += static_cast<long long>(count);
      progress.report(done, total);
    }
    for (int j = 0; j < k; ++j) {
      double* dst = a.values.data() + (static_cast<size_t>(n) * k + j) * per;
      for (size_t i = 0; i < per; ++i) dst[i] = coverage[i] > 0 ? dst[i] / coverage[i] : 0.0;
    }
  }
  a.modelRowsEvaluated = batch.count + total;
  a.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return a;
}

}  // namespace sky
