#pragma once
// Histogram of a layer's values; a horizontal drag brushes a value range into the shared
// selection (e.g. the tail of large attributions). The selected range is shaded. The bins are
// counted on the thread pool (every pixel is read); "counting..." shows meanwhile.
#include <QWidget>
#include <atomic>
#include <memory>

#include "state/DisplayUnit.h"
#include "state/SkySession.h"

namespace ui {

class HistogramView : public QWidget {
  Q_OBJECT
 public:
  explicit HistogramView(SkySession* session, QWidget* parent = nullptr);
  void setLayer(const Layer* layer);  // null: empty
  double valueAt(double x) const;     // the value under a widget x position
  // Selects values in [lo, hi] of the layer, as a drag from lo to hi does.
  void brush(double lo, double hi);
  bool computing() const { return generation_ != ready_; }

 signals:
  void binsReady();

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;

 private:
  // The bars: below the title row, above the row of range labels.
  QRect plot() const;
  SkySession* session_;
  std::shared_ptr<const sky::SkyMap> map_;
  QString name_;
  DisplayUnit unit_;
  double min_ = 0, max_ = 1;
  std::vector<int> counts_;
  double dragFrom_ = NAN, dragTo_ = NAN;
  int generation_ = 0, ready_ = 0;  // the newest request, and the one whose bins are shown
  std::shared_ptr<std::atomic<int>> latest_ = std::make_shared<std::atomic<int>>(0);  // generation_, for workers
};

}  // namespace ui
