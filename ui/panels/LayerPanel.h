#pragma once
// The layer list: select, show/hide, colour map and symmetric range per layer.
#include <QWidget>

#include "state/SkySession.h"

class QListWidget;
class QComboBox;
class QCheckBox;

namespace ui {

class LayerPanel : public QWidget {
  Q_OBJECT
 public:
  explicit LayerPanel(SkySession* session, QWidget* parent = nullptr);
  QListWidget* list() const { return list_; }

 private:
  void refresh();
  SkySession* session_;
  QListWidget* list_;
  QComboBox* colormap_;
  QCheckBox* symmetric_;
  bool refreshing_ = false;
};

}  // namespace ui
