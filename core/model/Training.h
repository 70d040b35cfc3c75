#pragma once
// Training the seed network's classifiers and regression networks from C++ (LibTorch), saved
// as TorchScript that Python's torch.jit.load reads unchanged, with a model card beside it.
//  - "cnn": Conv(w1)-BN-ReLU-MaxPool2, Conv(w2)-BN-ReLU-MaxPool2, Conv(w3)-BN-ReLU, global
//    average pool, dropout, dense 64 ReLU, dropout, dense 1 logit (widths configurable).
//  - "pca-mlp": a frozen PCA projection of the flattened image (randomised SVD of the training
//    images, Eigen), then a ReLU MLP head giving one logit.
// Classifiers: one logit, binary cross-entropy, early stopping on validation AUC.
// Regression (TrainingOptions::regressionTargets): the network predicts each parameter's
// posterior mean and standard deviation with the moment-network loss of the CNN2D seed,
// sum_p [log mean_n r^2 + log mean_n (r^2 - s^2)^2] with r and s the residual and sigma in
// units of the parameter's training spread (the saved model outputs them in the parameter's
// units); early stopping on the validation mean R^2.
// Adam, reduce-on-plateau; the best checkpoint is written (atomically) whenever the
// validation score improves, so an interrupted run keeps it.
#include <cstdint>
#include <filesystem>
#include <string>
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
  std::vector<std::string> regressionTargets;  // manifest parameters to predict; empty: classify
};

struct EpochLog {
  int epoch = 0;
  double trainLoss = 0.0, validationLoss = 0.0, learningRate = 0.0;
  double validationScore = 0.0;  // AUC (classifiers) or mean R^2 over the parameters (regression)
};

struct TrainingReport {
  std::vector<EpochLog> history;
  int bestEpoch = -1;
  double bestValidationScore = 0.0;
  const char* scoreName = "AUC";  // or "mean R^2"
  bool stoppedEarly = false;
  int trainCount = 0, validationCount = 0;
};

// Trains on `data` (already preprocessed as `card` says) and writes the best model to
// `modelPath` and its card beside it (for regression with the task, targets and sigma
// outputs filled in). Throws SkyError(Cancelled) if progress is cancelled; the best
// checkpoint so far stays on disk.
TrainingReport trainNetwork(const LabelledImages& data, const ModelCard& card, const TrainingOptions& options,
                            const std::filesystem::path& modelPath, Progress& progress);

}  // namespace sky
