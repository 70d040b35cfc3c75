// Explainer speed on this machine: the partition explainer's wall time (on the inference-
// optimised model, then on the module as saved) divided by the wall time of the same number of
// forward rows through the module as saved (batches of 32); how far the two explanations
// differ; Integrated Gradients (50 steps) over 50 plain gradient rows. Also peak RSS.
// usage: skyinterpret-bench-explain MODEL.pt IMAGE.npy [MAX_EVALS [THREADS]]
//        (IMAGE: (H, W), (C, H, W) or (N, C, H, W) float32; the first image is used)
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "explain/GradientExplainers.h"
#include "explain/PartitionExplainer.h"
#include "io/Npy.h"
#include "util/Error.h"
#include "util/ProcessMemory.h"

namespace {

double seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  sky::configureProcessMemory(argc, argv);
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODEL.pt IMAGE.npy [MAX_EVALS [THREADS]]\n", argv[0]);
    return 2;
  }
  try {
    const int maxEvals = argc > 3 ? std::atoi(argv[3]) : 2000;
    const int threads = argc > 4 ? std::atoi(argv[4]) : 2;
    sky::NpyArray a = sky::readNpy(argv[2]);
    while (a.shape.size() < 4) a.shape.insert(a.shape.begin(), 1);
    sky::ImageBatch batch;
    batch.shape = {static_cast<int>(a.shape[1]), static_cast<int>(a.shape[2]), static_cast<int>(a.shape[3])};
    batch.count = 1;
    batch.nchw.assign(a.values.begin(), a.values.begin() + batch.shape.size());
    sky::ModelLoadOptions exactOptions{threads, batch.shape};
    exactOptions.exactModel = true;
    auto model = sky::loadTorchScriptModel(argv[1], exactOptions);
    auto optimised = sky::loadTorchScriptModel(argv[1], {threads, batch.shape});
    std::printf("model %s, image %s, max_evals %d, batch 32, %d threads\n", argv[1], batch.shape.text().c_str(),
                maxEvals, threads);

    // Warm up LibTorch (first calls allocate and pick kernels).
    std::vector<float> rows(32 * static_cast<size_t>(batch.shape.size()));
    for (int r = 0; r < 32; ++r) std::copy(batch.nchw.begin(), batch.nchw.end(), rows.begin() + r * batch.shape.size());
    std::vector<double> out(32 * static_cast<size_t>(model->outputCount()));
    model->evaluate(rows, 32, sky::Layout::NHWC, out);
    std::vector<float> warm(rows.size());
    model->gradient(rows, 32, sky::Layout::NCHW, 0, warm, {});
    model->gradient(rows, 32, sky::Layout::NHWC, 0, warm, {});

    sky::PartitionOptions po;
    po.maxEvals = maxEvals;
    sky::Progress progress;
    auto start = std::chrono::steady_clock::now();
    const sky::Attribution fast = sky::explainPartition(*optimised, batch, po, progress);
    const double tOptimised = seconds(start);
    start = std::chrono::steady_clock::now();
    const sky::Attribution shap = sky::explainPartition(*model, batch, po, progress);
    const double tPartition = seconds(start);
    const long long r = shap.modelRowsEvaluated;

    // The same rows through the module as saved, as PyTorch users call it (NCHW) and in the
    // channels-last layout partition hands over (the faster of the two for the saved module).
    const auto plainForward = [&](sky::Layout layout) {
      const auto begin = std::chrono::steady_clock::now();
      for (long long done = 0; done < r; done += 32) {
        const int n = static_cast<int>(std::min<long long>(32, r - done));
        model->evaluate(std::span<const float>(rows.data(), n * batch.shape.size()), n, layout,
                        std::span<double>(out.data(), n * model->outputCount()));
      }
      return seconds(begin);
    };
    const double tForwardNchw = plainForward(sky::Layout::NCHW);
    const double tForward = plainForward(sky::Layout::NHWC);
    double worst = 0, largest = 0;
    for (size_t i = 0; i < shap.values.size(); ++i) {
      worst = std::max(worst, std::abs(fast.values[i] - shap.values[i]));
      largest = std::max(largest, std::abs(shap.values[i]));
    }
    std::printf("forward of %lld rows through the module as saved: %.2f s NCHW, %.2f s channels-last\n", r,
                tForwardNchw, tForward);
    std::printf("partition, optimised model: %lld rows in %.2f s; ratio %.3f (NCHW) %.3f (channels-last)\n",
                fast.modelRowsEvaluated, tOptimised, tOptimised / tForwardNchw, tOptimised / tForward);
    std::printf("partition, module as saved: %lld rows in %.2f s; ratio %.3f (NCHW) %.3f (channels-last)\n", r,
                tPartition, tPartition / tForwardNchw, tPartition / tForward);
    std::printf("optimised path: %s\n", optimised->forwardPath().c_str());
    std::printf("max |optimised - exact| SHAP value: %.2e of max |value| (%.3g)\n",
                largest > 0 ? worst / largest : worst, largest);

    sky::IntegratedGradientsOptions io;
    sky::explainIntegratedGradients(*model, batch, io, progress);  // first run pays per-shape set-up
    start = std::chrono::steady_clock::now();
    const sky::Attribution ig = sky::explainIntegratedGradients(*model, batch, io, progress);
    const double tIg = seconds(start);
    std::vector<float> grad(rows.size());
    start = std::chrono::steady_clock::now();
    for (int done = 0; done < 50; done += 32) {
      const int n = std::min(32, 50 - done);
      model->gradient(std::span<const float>(rows.data(), n * batch.shape.size()), n, sky::Layout::NCHW, 0,
                      std::span<float>(grad.data(), n * batch.shape.size()), {});
    }
    const double tGrad = seconds(start);
    std::printf("integrated gradients (50 steps): %.3f s; 50 plain gradient rows: %.3f s; ratio %.3f\n", tIg, tGrad,
                tIg / tGrad);
    start = std::chrono::steady_clock::now();
    for (int done = 0; done < 50; done += 32) {
      const int n = std::min(32, 50 - done);
      model->gradient(std::span<const float>(rows.data(), n * batch.shape.size()), n, sky::Layout::NHWC, 0,
                      std::span<float>(grad.data(), n * batch.shape.size()), {});
    }
    std::printf("50 plain gradient rows, channels-last input: %.3f s\n", seconds(start));
    std::printf("peak RSS %.0f MB\n", peakRssMb());
  } catch (const sky::SkyError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return e.exitCode();
  }
  return 0;
}
