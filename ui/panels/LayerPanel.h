#pragma once
// The data panel: the loaded model, and the layer list (select, show/hide) with the colour
// map and colour range of the selected layer (percentiles or explicit min/max; symmetric).
#include <QWidget>

#include "state/SkySession.h"

class QListWidget;
class QComboBox;
class QCheckBox;
class QLabel;
class QLineEdit;

namespace ui {

class LayerPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LayerPanel(SkySession* session, QWidget* parent = nullptr);
  QListWidget* list() const { return list_; }
  QLabel* modelLabel() const { return model_; }
  // Sets an explicit range on the selected layer, in the map's stored unit (K for a K_CMB map;
  // the min/max fields show and take the displayed unit, uK).
  void setManualRange(double min, double max);
  QLineEdit* rangeMinEdit() const { return min_; }
  QLineEdit* rangeMaxEdit() const { return max_; }

 signals:
  void errorReported(QString message);

 private:
  void refresh();
  void refreshModel();
  void applyRange();
  SkySession* session_;
  QLabel* model_;
  QListWidget* list_;
  QComboBox* colormap_;
  QCheckBox* symmetric_;
  QCheckBox* manual_;
  QLineEdit *min_, *max_;
  bool refreshing_ = false;
};

}  // namespace ui
