#include "panels/LayerPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleValidator>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QVBoxLayout>

#include "model/Preprocess.h"
#include "state/DisplayUnit.h"
#include "util/Error.h"
#include "views/ColorBar.h"

namespace ui {

LayerPanel::LayerPanel(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  model_ = new QLabel(this);
  model_->setWordWrap(true);
  model_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  list_ = new QListWidget(this);
  list_->setToolTip(tr("Maps and their attributions (indented); the tick shows or hides a layer"));
  colormap_ = new QComboBox(this);
  for (const auto& n : sky::Colormap::names()) colormap_->addItem(QString::fromStdString(n));
  colormap_->setToolTip(tr("Colour map of the selected layer (planck for skies, rdbu_r for attributions)"));
  symmetric_ = new QCheckBox(tr("symmetric about 0"), this);
  symmetric_->setToolTip(tr("Centre the colour range on zero (diverging maps, attributions)"));
  manual_ = new QCheckBox(tr("fixed range"), this);
  manual_->setToolTip(tr("Off: the 0.5-99.5 percentiles of the layer. On: the min and max typed here"));
  min_ = new QLineEdit(this);
  max_ = new QLineEdit(this);
  for (QLineEdit* e : {min_, max_}) {
    e->setValidator(new QDoubleValidator(e));
    e->setToolTip(tr("Colour range end in the layer's unit; Enter applies"));
  }
  auto* range = new QHBoxLayout;
  range->addWidget(min_);
  range->addWidget(new QLabel(tr("to"), this));
  range->addWidget(max_);
  auto* form = new QFormLayout;
  form->addRow(tr("colour map"), colormap_);
  form->addRow(symmetric_);
  form->addRow(manual_);
  form->addRow(tr("range"), range);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(model_);
  layout->addWidget(list_);
  layout->addLayout(form);
  connect(session_, &SkySession::layersChanged, this, &LayerPanel::refresh);
  connect(session_, &SkySession::currentChanged, this, &LayerPanel::refresh);
  connect(session_, &SkySession::modelChanged, this, &LayerPanel::refreshModel);
  connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (!refreshing_) session_->setCurrent(row);
  });
  connect(list_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    if (!refreshing_) session_->setVisible(list_->row(item), item->checkState() == Qt::Checked);
  });
  auto apply = [this] {
    if (!refreshing_)
      session_->setColormap(session_->currentIndex(), colormap_->currentText(), symmetric_->isChecked());
  };
  connect(colormap_, &QComboBox::currentTextChanged, this, apply);
  connect(symmetric_, &QCheckBox::toggled, this, apply);
  connect(manual_, &QCheckBox::toggled, this, &LayerPanel::applyRange);
  connect(min_, &QLineEdit::editingFinished, this, &LayerPanel::applyRange);
  connect(max_, &QLineEdit::editingFinished, this, &LayerPanel::applyRange);
  refreshModel();
  refresh();
}

void LayerPanel::setManualRange(double min, double max) {
  try {
    session_->setRange(session_->currentIndex(), true, min, max);
  } catch (const sky::SkyError& e) {
    emit errorReported(QString::fromStdString(e.what()));
  }
}

void LayerPanel::applyRange() {
  if (refreshing_ || !session_->layer(session_->currentIndex())) return;
  bool okMin = false, okMax = false;
  const double lo = QLocale().toDouble(min_->text(), &okMin), hi = QLocale().toDouble(max_->text(), &okMax);
  if (manual_->isChecked() && (!okMin || !okMax)) {
    emit errorReported(tr("the colour range needs two numbers (min and max)"));
    return;
  }
  const DisplayUnit unit = displayUnitOf(*session_->layer(session_->currentIndex()));
  try {
    session_->setRange(session_->currentIndex(), manual_->isChecked(), unit.toStored(lo), unit.toStored(hi));
  } catch (const sky::SkyError& e) {
    emit errorReported(QString::fromStdString(e.what()));
  }
}

void LayerPanel::refreshModel() {
  const auto model = session_->model();
  if (!model) {
    model_->setText(tr("<b>Model:</b> none (File > Open model)"));
    return;
  }
  const sky::ModelCard& card = model->card();
  QStringList channels, outputs;
  for (const auto& c : card.channels) channels << QString::fromStdString(c);
  for (const auto& o : card.outputNames) outputs << QString::fromStdString(o);
  model_->setText(tr("<b>Model:</b> %1<br>input %2 x %3 x %4 (%5), %6<br>outputs: %7")
                      .arg(QFileInfo(session_->modelPath()).fileName())
                      .arg(card.channels.size())
                      .arg(card.height)
                      .arg(card.width)
                      .arg(channels.join(", "), QString::fromUtf8(sky::preprocessingName(card.preprocessing)),
                           outputs.isEmpty() ? tr("unnamed") : outputs.join(", ")));
}

void LayerPanel::refresh() {
  refreshing_ = true;
  list_->clear();
  for (const auto& l : session_->layers()) {
    auto* item = new QListWidgetItem(
        (l.kind == Layer::Kind::Attribution ? QString::fromUtf8("\u21b3 ") : QString()) + l.name, list_);
    item->setToolTip(describeLayer(l));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(l.visible ? Qt::Checked : Qt::Unchecked);
  }
  list_->setCurrentRow(session_->currentIndex());
  if (const Layer* l = session_->layer(session_->currentIndex())) {
    colormap_->setCurrentText(l->colormap);
    symmetric_->setChecked(l->symmetric);
    manual_->setChecked(l->manualRange);
    // Shows the range in use, so fixing it starts from what is on screen.
    // In the unit shown everywhere (uK for K_CMB maps); applyRange converts back.
    const DisplayUnit unit = displayUnitOf(*l);
    const sky::ColorScale scale = unit.toDisplay(session_->colorScaleOf(*l));
    min_->setText(QString::number(scale.min, 'g', 6));
    max_->setText(QString::number(scale.max, 'g', 6));
    min_->setToolTip(unit.label);
    max_->setToolTip(unit.label);
    min_->setEnabled(l->manualRange);
    max_->setEnabled(l->manualRange);
  }
  refreshing_ = false;
}

}  // namespace ui
