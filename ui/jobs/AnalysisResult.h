#pragma once
// What an analysis job (ablation, sensitivity, faithfulness, batch means, group values) hands back to the GUI thread.
#include <QString>
#include <functional>
#include <optional>

#include "analysis/Ablation.h"
#include "analysis/Faithfulness.h"
#include "analysis/SanityChecks.h"
#include "analysis/Sensitivity.h"
#include "analysis/TrustMetrics.h"
#include "batch/BatchCollection.h"
#include "explain/GroupShapley.h"
#include "explain/HealpixPartition.h"
#include "jobs/Progress.h"

namespace ui {

struct AnalysisResult {
  QString kind;  // "lowpass", "mask-hot", "sensitivity-bands", "faithfulness", ...
  std::optional<sky::AblationCurve> ablation;
  std::optional<sky::SensitivityResult> sensitivity;
  std::optional<sky::FaithfulnessCurves> faithfulness;
  std::optional<sky::CollectionMeans> collectionMeans;
  // Trust metrics of one attribution (analysis/TrustMetrics.h); sensitivity-max < 0: not run.
  struct Metrics {
    double infidelity = 0, sensitivityMax = -1, sparseness = 0, complexity = 0;
    bool multiplyByInputs = true;
    sky::RoadCurves road;
  };
  std::optional<Metrics> metrics;
  std::optional<std::vector<sky::SanityStep>> sanity;  // cascading randomisation, step 0 unchanged
  std::optional<sky::GroupShapley> groups;             // exact Shapley values of feature groups
  std::optional<sky::SphereAttribution> sphere;        // Owen values on the HEALPix tree
  QString error;
  bool cancelled = false;
};

// The work, run on the model's worker thread; it reports through and checks the Progress.
using AnalysisTask = std::function<AnalysisResult(sky::Progress& progress)>;

}  // namespace ui

Q_DECLARE_METATYPE(ui::AnalysisResult)
