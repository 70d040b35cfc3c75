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
#include "views/ViewRegistry.h"

class QCheckBox;
class QLabel;
class QMouseEvent;
class QSpinBox;

namespace ui {

class SkyPlot;

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
  int spectraStarted() const { return started_; }  // spectrum jobs begun so far (tests)
  // anafast settings: lmax 0 means "auto": healpy's 3 nside - 1 up to nside 512, 2 nside
  // above (the rest would cost minutes at nside 2048); iterations as healpy's iter (3).
  void setLmax(int lmax);
  void setIterations(int iterations);
  int lmaxSetting() const;
  int iterations() const;
  static int effectiveLmax(int setting, int nside);
  void paintFigure(QPainter& painter, const QRect& bounds);
  // The plot (a QCustomPlot, views/SkyPlot.h), its data area in its own coordinates, and the
  // multipole under a horizontal position there.
  QWidget* plotWidget() const;
  QRect plotRect() const;
  int multipoleAt(double x) const;
  struct Curve {
    QString label;
    std::vector<double> values;
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
    // A scatter band (mean -/+ one standard deviation over maps), drawn shaded; else empty.
    std::vector<double> lower, upper;
    bool attribution = false;  // read on the right axis when a map's curve is on the left
  };
  // Those ready to draw; asks for the others (they arrive with spectraReady()).
  std::vector<Curve> curves();

 signals:
  void spectraReady();

 protected:
  void showEvent(QShowEvent* e) override;

 private:
  // Builds the plot from curves() (once per event-loop turn however often it is asked).
  void scheduleRebuild();
  void rebuild();
  void pressed(QMouseEvent* e);
  void moved(QMouseEvent* e);
  void released(QMouseEvent* e);
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
  int running_ = 0, started_ = 0;
  QString failure_;  // why the last spectrum that failed did
  SkySession* session_;
  bool log_ = true, dl_ = true;
  QCheckBox* logBox_;
  QCheckBox* dlBox_;
  QSpinBox* lmaxBox_;
  QSpinBox* iterBox_;
  QLabel* readout_;
  SkyPlot* plot_;
  bool rebuildPending_ = false;
  int lmaxShown_ = -1;
  int brushStart_ = -1, brushEnd_ = -1;
};

}  // namespace ui
