#include "export/DataExport.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include "io/Csv.h"
#include "io/HealpixFits.h"
#include "io/Npy.h"
#include "jobs/RunResponsive.h"
#include "util/Error.h"
#include "views/ComparisonView.h"

namespace ui {

std::string fitsFieldName(const QString& method) {
  QString name = method.toUpper();
  for (QChar& c : name)
    if (!c.isLetterOrNumber()) c = '_';
  return name.left(60).toStdString();
}

void exportAttributionFits(const SkySession& session, int mapIndex, const QString& path) {
  const Layer* map = session.layer(mapIndex);
  std::vector<std::shared_ptr<const sky::SkyMap>> fields;
  std::vector<std::string> names;
  std::vector<std::string> history;
  QSet<QString> used;
  int nside = 0;
  for (const Layer& l : session.layers()) {
    if (l.kind != Layer::Kind::Attribution || l.sourceLayer != mapIndex || !l.map) continue;
    if (nside == 0) nside = l.map->nside();
    if (l.map->nside() != nside) continue;
    // Field names must be unique: a second run of one method gets a suffix.
    // METHOD, or METHOD_Q for a channel of a T,Q,U model.
    QString base = l.method.isEmpty() ? l.name : l.method;
    if (l.parameters.contains("channel")) base += "_" + l.parameters.value("channel").toString();
    QString name = QString::fromStdString(fitsFieldName(base));
    for (int k = 2; used.contains(name); ++k)
      name = QString::fromStdString(fitsFieldName(base)) + QString("_%1").arg(k);
    used.insert(name);
    names.push_back(name.toStdString());
    fields.push_back(l.map);
    QStringList settings;
    for (auto it = l.parameters.begin(); it != l.parameters.end(); ++it)
      settings << it.key() + "=" + it.value().toString();
    history.push_back((name + ": " + settings.join(" ")).toStdString());
  }
  if (fields.empty()) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument,
                        (map ? map->name : QString("this layer")).toStdString() + " has no attribution to export yet");
  }
  sky::FitsWriteOptions o;
  o.overwrite = sky::Overwrite::Allow;
  o.extraComments = history;
  if (map) o.extraComments.push_back("attributions of " + map->name.toStdString());
  // Copying and writing grow with the pixels (400 MB a field at nside 2048): off the GUI thread.
  runResponsive([fields, names, nside, o, file = path.toStdString()] {
    std::vector<std::vector<double>> values;
    for (const auto& f : fields) values.emplace_back(f->field(0).begin(), f->field(0).end());
    sky::writeHealpixFits(sky::SkyMap(nside, sky::Ordering::Ring, std::move(values), names, "attribution"), file, o);
    return true;
  });
}

void exportSpectraCsv(const std::vector<SpectrumView::Curve>& curves, bool dl, const QString& path) {
  if (curves.empty()) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "no spectrum to export yet");
  sky::CsvTable t;
  t.header.push_back("l");
  size_t n = curves[0].values.size();
  for (const auto& c : curves) n = std::min(n, c.values.size());
  std::vector<double> ell(n);
  for (size_t l = 0; l < n; ++l) ell[l] = static_cast<double>(l);
  t.columns.push_back(ell);
  for (const auto& c : curves) {
    QString label = QString(dl ? "D_l " : "C_l ") + c.label;
    label.replace(',', ';');
    t.header.push_back(label.toStdString());
    t.columns.emplace_back(c.values.begin(), c.values.begin() + static_cast<std::ptrdiff_t>(n));
    if (c.lower.size() >= n && c.upper.size() >= n) {  // a scatter band: its edges too
      t.header.push_back((label + " -1 sigma").toStdString());
      t.columns.emplace_back(c.lower.begin(), c.lower.begin() + static_cast<std::ptrdiff_t>(n));
      t.header.push_back((label + " +1 sigma").toStdString());
      t.columns.emplace_back(c.upper.begin(), c.upper.begin() + static_cast<std::ptrdiff_t>(n));
    }
  }
  sky::writeCsv(path.toStdString(), t, sky::Overwrite::Allow);
}

void exportComparisonCsv(ComparisonView& comparison, const QString& path) {
  const auto& metrics = comparison.metrics();
  sky::CsvTable rows;
  rows.header = {"panel", "pixels", "pearson", "spearman", "top_fraction_jaccard", "sign_agreement"};
  rows.columns.resize(rows.header.size());
  sky::CsvTable bands;
  bands.header = {"lmin", "lmax"};
  for (size_t k = 0; k < metrics.size(); ++k) {
    if (!metrics[k]) continue;
    const auto& m = *metrics[k];
    const double values[] = {static_cast<double>(k + 2),
                             static_cast<double>(m.pixels),
                             m.pearson,
                             m.spearman,
                             m.topOverlap,
                             m.signAgreement};
    for (size_t c = 0; c < rows.columns.size(); ++c) rows.columns[c].push_back(values[c]);
    if (bands.columns.empty()) {
      bands.columns.resize(2);
      for (const auto& b : m.bands) {
        bands.columns[0].push_back(b.lmin);
        bands.columns[1].push_back(b.lmax);
      }
    }
    bands.header.push_back("r_panel" + std::to_string(k + 2) + "_vs_1");
    std::vector<double> r;
    for (const auto& b : m.bands) r.push_back(b.r);
    bands.columns.push_back(r);
  }
  if (rows.columns[0].empty())
    throw sky::SkyError(sky::ErrorKind::InvalidArgument, "no comparison to export: choose two layers");
  sky::writeCsv(path.toStdString(), rows, sky::Overwrite::Allow);
  const QFileInfo info(path);
  sky::writeCsv((info.dir().filePath(info.completeBaseName() + "_bands.csv")).toStdString(), bands,
                sky::Overwrite::Allow);
}

void exportImageNpy(std::shared_ptr<const sky::Image> image, const QString& path) {
  if (!image) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "there is no image to export yet");
  runResponsive([image, file = path.toStdString()] {
    sky::writeNpy(file,
                  {static_cast<size_t>(image->channels()), static_cast<size_t>(image->height()),
                   static_cast<size_t>(image->width())},
                  std::span<const double>(image->data()), sky::Overwrite::Allow);
    return true;
  });
}

}  // namespace ui
