#pragma once
// Angular power spectra of the current map and of its attribution map: D_l or C_l, linear or
// logarithmic axes, legend; the multipole under the cursor is shown.
#include <QWidget>
#include <map>
#include <vector>

#include "state/SkySession.h"

class QCheckBox;

namespace ui {

class SpectrumView : public QWidget {
  Q_OBJECT
 public:
  explicit SpectrumView(SkySession* session, QWidget* parent = nullptr);
  void setLogarithmic(bool on);
  void setShowDl(bool on);

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
  // C_l per map, computed once (hover repaints must not rerun anafast).
  const std::vector<double>& spectrumOf(const Layer& layer, bool& fskyCorrected) const;
  mutable std::map<std::shared_ptr<const sky::SkyMap>, std::pair<std::vector<double>, bool>> cache_;  // keeps keys alive
  SkySession* session_;
  bool log_ = true, dl_ = true;
  QCheckBox* logBox_;
  QCheckBox* dlBox_;
  int hoverL_ = -1;
};

}  // namespace ui
