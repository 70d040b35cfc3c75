#pragma once
// Angular power spectra of the current map and of its attribution map: D_l or C_l, linear or
// logarithmic axes, legend; the multipole under the cursor is shown.
#include <QWidget>
#include <vector>

#include "state/SkySession.h"

namespace ui {

class SpectrumView : public QWidget {
  Q_OBJECT
 public:
  explicit SpectrumView(SkySession* session, QWidget* parent = nullptr);
  void setLogarithmic(bool on) { log_ = on; update(); }
  void setShowDl(bool on) { dl_ = on; update(); }

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;

 private:
  struct Curve {
    QString label;
    std::vector<double> values;
    QColor color;
  };
  std::vector<Curve> curves() const;
  SkySession* session_;
  bool log_ = true, dl_ = true;
  int hoverL_ = -1;
};

}  // namespace ui
