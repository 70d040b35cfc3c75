#pragma once
// Angular power spectra of the current map and of its attribution map: D_l or C_l, linear or
// logarithmic axes, legend, hover readout. With a region selected, the map's pseudo-C_l inside
// it (divided by its sky fraction) is drawn beside the full-sky one; a horizontal drag brushes
// an l-range into the shared selection (a click clears it). Spectra are computed on a worker
// thread and cached, so large maps never freeze the window.
#include <QFutureWatcher>
#include <QWidget>
#include <map>
#include <vector>

#include "state/SkySession.h"
#include "views/PlotAxes.h"
#include "views/ViewRegistry.h"

class QCheckBox;
class QSpinBox;

namespace ui {

class SpectrumView : public QWidget {
  Q_OBJECT
 public:
  // Its entry in the view registry (views/ViewRegistry.h): id, title, figure, session state.
  static ViewSpec viewSpec();
  explicit SpectrumView(SkySession* session, QWidget* parent = nullptr);
  void setLogarithmic(bool on);
  void setShowDl(bool on);
  bool showsDl() const { return dl_; }
  bool logarithmic() const { return log_; }
  bool computing() const { return running_ > 0; }
  // anafast settings: lmax 0 means "auto": healpy's 3 nside - 1 up to nside 512, 2 nside
  // above (the rest would cost minutes at nside 2048); iterations as healpy's iter (3).
  void setLmax(int lmax);
  void setIterations(int iterations);
  int lmaxSetting() const;
  int iterations() const;
  static int effectiveLmax(int setting, int nside);
  void paintFigure(QPainter& painter, const QRect& bounds);
  // Room for the value axes and their titles at the sides, the multipole axis below.
  QRect plotRect(const QRect& bounds) const { return bounds.adjusted(kSideAxisWidth, 36, -kSideAxisWidth, -48); }
  int multipoleAt(double x);  // on this widget's plot
  struct Curve {
    QString label;
    std::vector<double> values;
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
  };
  // Those ready to draw; asks for the others (they arrive with spectraReady()).
  std::vector<Curve> curves();

 signals:
  void spectraReady();

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;

 private:
  QString axisTitle(const Curve& c, bool mapAxis) const;
  struct Entry {
    std::shared_ptr<const sky::SkyMap> map;  // keeps the key's map alive
    std::vector<double> cl;
    bool corrected = false;
    bool ready = false;
  };
  // C_l of a map, whole sky (selectionVersion -1) or inside the selection; null until computed.
  const Entry* spectrum(const std::shared_ptr<const sky::SkyMap>& map, bool inSelection);
  // Keyed by map, selection version (-1: whole sky), lmax and iterations.
  std::map<std::tuple<const sky::SkyMap*, int, int, int>, Entry> cache_;
  int running_ = 0;
  QString failure_;  // why the last spectrum that failed did
  SkySession* session_;
  bool log_ = true, dl_ = true;
  QCheckBox* logBox_;
  QCheckBox* dlBox_;
  QSpinBox* lmaxBox_;
  QSpinBox* iterBox_;
  int hoverL_ = -1;
  int brushStart_ = -1, brushEnd_ = -1;
};

}  // namespace ui
