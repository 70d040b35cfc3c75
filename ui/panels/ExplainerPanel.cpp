#include "panels/ExplainerPanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ui {

namespace {
QSpinBox* spin(QWidget* parent, int lo, int hi, int value, const QString& tip) {
  auto* s = new QSpinBox(parent);
  s->setRange(lo, hi);
  s->setValue(value);
  s->setToolTip(tip);
  return s;
}
}  // namespace

ExplainerPanel::ExplainerPanel(QWidget* parent) : QWidget(parent) {
  method_ = new QComboBox(this);
  method_->addItem(tr("SHAP Partition"), "partition");
  method_->addItem(tr("Integrated Gradients"), "integrated-gradients");
  method_->addItem(tr("Saliency"), "saliency");
  method_->addItem(tr("SmoothGrad"), "smoothgrad");
  method_->addItem(tr("GradientSHAP"), "gradient-shap");
  method_->addItem(tr("Occlusion"), "occlusion");
  method_->setCurrentIndex(1);
  method_->setToolTip(tr("Partition: Owen values over shap's image hierarchy (as shap). Gradient methods as Captum."));
  maxEvals_ = spin(this, 3, 10000000, 500, tr("SHAP: model evaluations per image (shap's max_evals); more = finer detail"));
  batch_ = spin(this, 1, 4096, 32, tr("Masked images per model call; changes SHAP values exactly as in shap"));
  steps_ = spin(this, 1, 100000, 50, tr("Integrated Gradients: Gauss-Legendre steps along the path from a zero baseline"));
  samples_ = spin(this, 1, 100000, 5,
                  tr("SmoothGrad: noisy samples averaged (noise sigma 1 in model-input units). GradientSHAP: samples "
                     "drawn from the seeded N(0,1) baseline images (model-input units) and random points on the path"));
  window_ = spin(this, 1, 512, 8, tr("Occlusion: side of the square patch set to zero, in model-input pixels"));
  stride_ = spin(this, 1, 512, 4, tr("Occlusion: step between patches; pixels covered by several patches get the mean"));
  baselines_ = spin(this, 1, 256, 8, tr("GradientSHAP: number of seeded N(0,1) baseline images the samples are drawn from"));
  target_ = spin(this, 0, 1000, 0, tr("Output index to explain (0 = the model's first output)"));
  masker_ = new QLineEdit("zero", this);
  masker_->setToolTip(tr("SHAP masker: zero, value:V, or blur:KXxKY (OpenCV box blur)"));
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  run_ = new QPushButton(tr("Run"), this);
  run_->setToolTip(tr("Explain the selected map with the loaded model (runs in the background; several runs queue)"));
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setEnabled(false);
  status_ = new QLabel(tr("idle"), this);
  status_->setWordWrap(true);
  auto* form = new QFormLayout;
  form->addRow(tr("method"), method_);
  form->addRow(tr("target output"), target_);
  form->addRow(tr("max evals"), maxEvals_);
  form->addRow(tr("batch size"), batch_);
  form->addRow(tr("masker"), masker_);
  form->addRow(tr("IG steps"), steps_);
  form->addRow(tr("samples"), samples_);
  form->addRow(tr("occlusion window"), window_);
  form->addRow(tr("occlusion stride"), stride_);
  form->addRow(tr("baselines"), baselines_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(run_);
  layout->addWidget(cancel_);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addStretch();
  // Only the parameters the chosen method reads are editable.
  auto enableParameters = [this] {
    const QString m = method_->currentData().toString();
    maxEvals_->setEnabled(m == "partition");
    masker_->setEnabled(m == "partition");
    batch_->setEnabled(m == "partition" || m == "integrated-gradients");
    steps_->setEnabled(m == "integrated-gradients");
    samples_->setEnabled(m == "smoothgrad" || m == "gradient-shap");
    baselines_->setEnabled(m == "gradient-shap");
    window_->setEnabled(m == "occlusion");
    stride_->setEnabled(m == "occlusion");
  };
  connect(method_, &QComboBox::currentIndexChanged, this, enableParameters);
  enableParameters();
  connect(run_, &QPushButton::clicked, this, &ExplainerPanel::runRequested);
  connect(cancel_, &QPushButton::clicked, this, &ExplainerPanel::cancelRequested);
}

ExplainRequest ExplainerPanel::request() const {
  ExplainRequest r;
  r.method = method_->currentData().toString();
  r.maxEvals = maxEvals_->value();
  r.batchSize = batch_->value();
  r.steps = steps_->value();
  r.samples = samples_->value();
  r.target = target_->value();
  r.masker = masker_->text();
  r.occlusionWindow = window_->value();
  r.occlusionStride = stride_->value();
  r.baselines = baselines_->value();
  return r;
}

void ExplainerPanel::setMethod(const QString& method) { method_->setCurrentIndex(method_->findData(method)); }
void ExplainerPanel::setMaxEvals(int evals) { maxEvals_->setValue(evals); }
void ExplainerPanel::setOcclusion(int window, int stride) {
  window_->setValue(window);
  stride_->setValue(stride);
}

void ExplainerPanel::showProgress(double fraction, qlonglong rows, qlonglong total, double eta) {
  cancel_->setEnabled(true);
  progress_->setValue(static_cast<int>(fraction * 1000));
  status_->setText(tr("%1 / %2 model rows%3").arg(rows).arg(total).arg(eta >= 0 ? tr(", ETA %1 s").arg(eta, 0, 'f', 1) : QString()));
}

void ExplainerPanel::showIdle(const QString& message, const QString& detail) {
  cancel_->setEnabled(false);
  progress_->setValue(0);
  status_->setText(message);
  status_->setToolTip(detail);
}

}  // namespace ui
