#pragma once
// Binary-classifier metrics as the seed network package reports them: ROC AUC, the threshold
// maximising Youden's J = TPR - FPR, accuracy and the confusion matrix at that threshold.
#include <vector>

namespace sky {

struct ClassificationMetrics {
  double auc = 0.0;
  double youdenThreshold = 0.0;  // on the score scale (logits for logit models)
  double accuracy = 0.0;         // at youdenThreshold
  long long truePositive = 0, falsePositive = 0, trueNegative = 0, falseNegative = 0;
  long long positives = 0, negatives = 0;
};

// AUC by the Mann-Whitney U statistic (ties count one half). labels are 0/1.
double rocAuc(const std::vector<double>& scores, const std::vector<int>& labels);
ClassificationMetrics classificationMetrics(const std::vector<double>& scores, const std::vector<int>& labels);

}  // namespace sky
