#include "panels/LayerPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QListWidget>
#include <QVBoxLayout>

#include "render/Colormap.h"

namespace ui {

LayerPanel::LayerPanel(SkySession* session, QWidget* parent) : QWidget(parent), session_(session) {
  list_ = new QListWidget(this);
  colormap_ = new QComboBox(this);
  for (const auto& n : sky::Colormap::names()) colormap_->addItem(QString::fromStdString(n));
  colormap_->setToolTip(tr("Colour map of the selected layer (planck for skies, rdbu_r for attributions)"));
  symmetric_ = new QCheckBox(tr("symmetric about 0"), this);
  symmetric_->setToolTip(tr("Centre the colour range on zero (diverging maps, attributions)"));
  auto* form = new QFormLayout;
  form->addRow(tr("colour map"), colormap_);
  form->addRow(symmetric_);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(list_);
  layout->addLayout(form);
  connect(session_, &SkySession::layersChanged, this, &LayerPanel::refresh);
  connect(session_, &SkySession::currentChanged, this, &LayerPanel::refresh);
  connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (!refreshing_) session_->setCurrent(row);
  });
  connect(list_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
    if (!refreshing_) session_->setVisible(list_->row(item), item->checkState() == Qt::Checked);
  });
  auto apply = [this] {
    if (!refreshing_) session_->setColormap(session_->currentIndex(), colormap_->currentText(), symmetric_->isChecked());
  };
  connect(colormap_, &QComboBox::currentTextChanged, this, apply);
  connect(symmetric_, &QCheckBox::toggled, this, apply);
}

void LayerPanel::refresh() {
  refreshing_ = true;
  list_->clear();
  for (const auto& l : session_->layers()) {
    auto* item = new QListWidgetItem((l.kind == Layer::Kind::Attribution ? QString::fromUtf8("\u21b3 ") : QString()) + l.name, list_);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(l.visible ? Qt::Checked : Qt::Unchecked);
  }
  list_->setCurrentRow(session_->currentIndex());
  if (const Layer* l = session_->layer(session_->currentIndex())) {
    colormap_->setCurrentText(l->colormap);
    symmetric_->setChecked(l->symmetric);
  }
  refreshing_ = false;
}

}  // namespace ui
