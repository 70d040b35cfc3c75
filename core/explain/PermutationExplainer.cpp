#include "explain/PermutationExplainer.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "explain/PartitionTree.h"
#include "stats/NumpyRandom.h"
#include "util/Error.h"

namespace sky {

namespace {

// The features in a random order consistent with the tree: at each internal node (row i of
// the linkage, switch i) the left subtree comes first when the switch is set.
void treeOrder(const PartitionTree& tree, int node, const std::vector<uint8_t>& leftFirst, std::vector<int>& order) {
  if (tree.isLeaf(node)) {
    order.push_back(node);
    return;
  }
  const bool left = leftFirst[static_cast<size_t>(node - tree.featureCount())] != 0;
  treeOrder(tree, left ? tree.left(node) : tree.right(node), leftFirst, order);
  treeOrder(tree, left ? tree.right(node) : tree.left(node), leftFirst, order);
}

}  // namespace

Attribution explainPermutation(Model& model, const ImageBatch& batch, const PermutationOptions& options,
                               Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (options.batchSize < 1) throw SkyError(ErrorKind::InvalidArgument, "batch size must be at least 1");
  checkBatchForModel(batch, model);
  const ImageShape s = batch.shape;
  const auto m = static_cast<size_t>(s.size());
  const long long rowsPerPermutation = 2 * static_cast<long long>(m) + 1;
  const long long permutations = options.maxEvals == 0 ? 1 : options.maxEvals / rowsPerPermutation;
  if (permutations == 0) {
    throw SkyError(ErrorKind::InvalidArgument,
                   "max-evals " + std::to_string(options.maxEvals) +
                       " is too low for the Permutation explainer: it must be at least 2 * features + 1 = " +
                       std::to_string(rowsPerPermutation) + " (" + std::to_string(m) + " features)");
  }
  const PartitionTree tree(s.height, s.width, s.channels);
  const int outputs = model.outputCount();
  Attribution result;
  result.method = "permutation";
  result.shape = s;
  result.images = batch.count;
  result.outputNames = model.outputNames();
  const long long totalRows = static_cast<long long>(batch.count) * permutations * rowsPerPermutation;
  long long rows = 0;
  NumpyLegacyRandom random(options.seed);
  std::vector<float> rowBuffer;
  std::vector<double> out(static_cast<size_t>(rowsPerPermutation) * outputs);
  for (int n = 0; n < batch.count; ++n) {
    const std::vector<float> x = toChannelLast(batch.image(n), s);
    const std::vector<float> background = maskerBackground(options.masker, x.data(), s.height, s.width, s.channels);
    std::vector<double> sums(m * outputs, 0.0);
    for (long long p = 0; p < permutations; ++p) {
      std::vector<uint8_t> leftFirst(m - 1);
      for (auto& sw : leftFirst) sw = random.gauss() < 0 ? 1 : 0;
      std::vector<int> order;
      order.reserve(m);
      treeOrder(tree, tree.root(), leftFirst, order);
      // Row 0 fully masked; rows 1..M add order[0..M-1]; rows M+1..2M remove them again.
      std::vector<float> current = background;
      std::vector<uint8_t> present(m, 0);
      const bool inpaint = options.masker.kind == MaskerSpec::Kind::Inpaint;
      for (long long first = 0; first < rowsPerPermutation; first += options.batchSize) {
        const long long count = std::min<long long>(options.batchSize, rowsPerPermutation - first);
        rowBuffer.resize(static_cast<size_t>(count) * m);
        for (long long r = first; r < first + count; ++r) {
          if (r >= 1) {
            const size_t f = static_cast<size_t>(order[static_cast<size_t>((r - 1) % static_cast<long long>(m))]);
            present[f] = r <= static_cast<long long>(m) ? 1 : 0;
            current[f] = present[f] ? x[f] : background[f];
          }
          // Inpainting depends on every hidden pixel: the whole image is masked anew.
          const std::vector<float> inpainted =
              inpaint ? maskedImage(options.masker, x.data(), present.data(), s.height, s.width, s.channels)
                      : std::vector<float>{};
          std::memcpy(rowBuffer.data() + static_cast<size_t>(r - first) * m,
                      inpaint ? inpainted.data() : current.data(), m * sizeof(float));
        }
        model.evaluate(
            rowBuffer, static_cast<int>(count), Layout::NHWC,
            std::span(out).subspan(static_cast<size_t>(first) * outputs, static_cast<size_t>(count) * outputs));
        rows += count;
        progress.report(rows, totalRows);
      }
      for (size_t i = 0; i < m; ++i) {
        const auto f = static_cast<size_t>(order[i]);
        for (int k = 0; k < outputs; ++k) {
          const auto at = [&](size_t r) { return out[r * outputs + static_cast<size_t>(k)]; };
          sums[f * outputs + k] += at(i + 1) - at(i);          // forward: f added
          sums[f * outputs + k] += at(m + i) - at(m + i + 1);  // backward: f removed
        }
      }
    }
    // f(x) is the row with every feature present; the base value the fully masked row.
    std::vector<double> fx(out.begin() + static_cast<std::ptrdiff_t>(m * outputs),
                           out.begin() + static_cast<std::ptrdiff_t>((m + 1) * outputs));
    const std::vector<int> targets = resolveTargets(options.targets, fx, 1, outputs);
    const int kCount = static_cast<int>(targets.size());
    if (n == 0) {
      result.targetsPerImage = kCount;
      result.values.assign(static_cast<size_t>(batch.count) * kCount * m, 0.0);
    }
    for (int j = 0; j < kCount; ++j) {
      const auto k = static_cast<size_t>(targets[j]);
      result.targetIndex.push_back(targets[j]);
      result.baseValues.push_back(out[k]);
      result.outputs.push_back(fx[k]);
      for (int c = 0; c < s.channels; ++c)
        for (int h = 0; h < s.height; ++h)
          for (int w = 0; w < s.width; ++w) {
            const size_t f = (static_cast<size_t>(h) * s.width + w) * s.channels + c;
            result.at(n, j, c, h, w) = sums[f * outputs + k] / (2.0 * static_cast<double>(permutations));
          }
    }
    progress.report(rows, totalRows, "image " + std::to_string(n + 1) + "/" + std::to_string(batch.count), true);
  }
  result.modelRowsEvaluated = rows;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace sky
