#pragma once
// Training the seed network's classifiers from C++ (LibTorch), saved as TorchScript that
// Python's torch.jit.load reads unchanged, with a model card beside it.
//  - "cnn": Conv(w1)-BN-ReLU-MaxPool2, Conv(w2)-BN-ReLU-MaxPool2, Conv(w3)-BN-ReLU, global
//    average pool, dropout, dense 64 ReLU, dropout, dense 1 logit (widths configurable).
//  - "pca-mlp": a frozen PCA projection of the flattened image (randomised SVD of the training
//    images, Eigen), then a ReLU MLP head giving one logit.
// Adam on binary cross-entropy with logits, early stopping on validation AUC,
// reduce-on-plateau; the best checkpoint is written (atomically) whenever validation AUC
// improves, so an interrupted run keeps it.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "jobs/Progress.h"
#include "model/Dataset.h"
#include "model/ModelCard.h"

namespace sky {

enum class Architecture { Cnn, PcaMlp };

struct TrainingOptions {
  Architecture architecture = Architecture::Cnn;
  std::vector<int> convWidths = {32, 64, 128};
  int denseWidth = 64;
  double dropout = 0.3;
  int components = 32;                   // PCA components (pca-mlp)
  std::vector<int> hiddenWidths = {64};  // MLP head (pca-mlp)
  int epochs = 30;
  int batchSize = 32;
  double learningRate = 1e-3;
  double validationFraction = 0.2;
  int earlyStoppingPatience = 6;  // epochs without a better validation AUC
  int plateauPatience = 2;        // then the learning rate is multiplied by plateauFactor
  double plateauFactor = 0.5;
  uint64_t seed = 0;
  int threads = 0;
};

struct EpochLog {
  int epoch = 0;
  double trainLoss = 0.0, validationLoss = 0.0, validationAuc = 0.0, learningRate = 0.0;
};

struct TrainingReport {
  std::vector<EpochLog> history;
  int bestEpoch = -1;
  double bestValidationAuc = 0.0;
  bool stoppedEarly = false;
  int trainCount = 0, validationCount = 0;
};

// Trains on `data` (already preprocessed as `card` says) and writes the best model to
// `modelPath` and its card beside it. Throws SkyError(Cancelled) if progress is cancelled;
// the best checkpoint so far stays on disk.
TrainingReport trainClassifier(const LabelledImages& data, const ModelCard& card, const TrainingOptions& options,
                               const std::filesystem::path& modelPath, Progress& progress);

}  // namespace sky
