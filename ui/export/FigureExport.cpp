#include "export/FigureExport.h"

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include "util/Error.h"

namespace ui {

namespace {

[[noreturn]] void fail(sky::ErrorKind kind, const QString& message) {
  throw sky::SkyError(kind, message.toStdString());
}

}  // namespace

void exportFigure(const FigurePainter& paint, const QString& path, const FigureOptions& options) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != "png" && suffix != "svg" && suffix != "pdf") {
    fail(sky::ErrorKind::InvalidArgument, QString("%1: figures are .png, .svg or .pdf").arg(path));
  }
  if (options.size.width() < 50 || options.size.height() < 50 || options.dpi < 10 || options.dpi > 2400) {
    fail(sky::ErrorKind::InvalidArgument, QString("%1: figure size or DPI out of range").arg(path));
  }
  QSaveFile file(path);  // a temporary beside the target, renamed on commit
  if (!file.open(QIODevice::WriteOnly)) {
    fail(sky::ErrorKind::OutputUnwritable, QString("cannot write %1: %2").arg(path, file.errorString()));
  }
  const QRect bounds(QPoint(0, 0), options.size);
  if (suffix == "png") {
    const double scale = options.dpi / 96.0;
    QImage image(options.size * scale, QImage::Format_ARGB32);
    image.fill(Qt::white);
    {
      // Painted at the screen's 96 dpi and scaled, so text keeps its size relative to the figure.
      QPainter painter(&image);
      painter.setRenderHint(QPainter::Antialiasing);
      painter.scale(scale, scale);
      paint(painter, bounds, scale);
    }
    image.setDotsPerMeterX(static_cast<int>(options.dpi / 0.0254));  // the file's DPI tag
    image.setDotsPerMeterY(static_cast<int>(options.dpi / 0.0254));
    if (!image.save(&file, "PNG")) fail(sky::ErrorKind::OutputUnwritable, QString("cannot encode %1").arg(path));
  } else if (suffix == "svg") {
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(options.size);
    svg.setViewBox(bounds);
    svg.setResolution(96);
    svg.setTitle(QFileInfo(path).completeBaseName());
    QPainter painter(&svg);
    paint(painter, bounds, 2.0);
  } else {
    QPdfWriter pdf(&file);
    pdf.setResolution(96);  // one PDF unit per point of the layout
    pdf.setPageSize(QPageSize(QSizeF(options.size) * 72.0 / 96.0, QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setTitle(QFileInfo(path).completeBaseName());
    pdf.setCreator("SkyInterpret");
    QPainter painter(&pdf);
    paint(painter, bounds, 3.0);
  }
  if (!file.commit())
    fail(sky::ErrorKind::OutputUnwritable, QString("cannot write %1: %2").arg(path, file.errorString()));
}

}  // namespace ui
