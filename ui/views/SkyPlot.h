#pragma once
// The app's line plots (spectra, analyses) are QCustomPlot widgets styled one way: the
// application font, ticks from render/AxisTicks (1-2-5 steps, decades on log axes, at most
// three significant digits), axis titles with units, the legend in a row of its own above the
// data (it never hides a curve) and a second value axis where two quantities share a plot.
// paintFigure draws the same plot into any painter through a QPicture, so PNG, SVG and PDF
// figures are what the screen shows, and SVG/PDF stay vector.
#include <qcustomplot.h>

#include <map>

namespace ui {

// Tick positions and labels from render/AxisTicks instead of QCustomPlot's own rules.
class NiceTicker : public QCPAxisTicker {
 public:
  explicit NiceTicker(bool logarithmic) : logarithmic_(logarithmic) {}

 protected:
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
  QVector<double> createSubTickVector(int, const QVector<double>&) override { return {}; }
  QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

 private:
  bool logarithmic_;
  std::map<double, QString> labels_;  // of the ticks the last createTickVector made
};

class SkyPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit SkyPlot(QWidget* parent = nullptr);
  // Linear or logarithmic (decades) scale for one axis.
  static void setScale(QCPAxis* axis, bool logarithmic);
  // An axis fitted to [lo, hi] with a small margin (a log axis to whole factors).
  static void fitAxis(QCPAxis* axis, double lo, double hi);
  // Removes graphs, items and the second axis: the plot as built anew.
  void clearAll();
  // A line through (x[i], y[i]) read on `valueAxis` (yAxis or yAxis2), named in the legend.
  QCPGraph* addLine(const QVector<double>& x, const QVector<double>& y, const QPen& pen, const QString& name,
                    QCPAxis* valueAxis);
  // A title in a row of its own above the legend's (shown in figures too); set its text later.
  QCPTextElement* addTitleRow();
  // A text in the middle of the plot area ("computing..."), or none.
  void setMessage(const QString& message);
  // The plot at `bounds` in `painter` (figures): vector output on SVG/PDF painters.
  void paintFigure(QPainter& painter, const QRect& bounds);

 private:
  QCPItemText* message_ = nullptr;
};

}  // namespace ui
