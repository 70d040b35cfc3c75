#include "state/SkySession.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QThreadPool>

#include "Resources.h"
#include "jobs/PoolRun.h"
#include "jobs/RunResponsive.h"
#include "model/ModelInput.h"
#include "simulate/DemoSkies.h"
#include "sky/Cartview.h"
#include "sky/HarmonicFilters.h"
#include "state/DisplayUnit.h"
#include "util/Error.h"

namespace ui {

SkySession::SkySession(QObject* parent) : QObject(parent), bandPassed_(new BandPassCache(this)) {
  connect(bandPassed_, &BandPassCache::ready, this, &SkySession::displayedMapsChanged);
  connect(bandPassed_, &BandPassCache::failed, this, &SkySession::displayProblem);
}

const Layer* SkySession::layer(int index) const {
  return index >= 0 && index < static_cast<int>(layers_.size()) ? &layers_[index] : nullptr;
}

int SkySession::sourceMapOf(int index) const {
  const Layer* l = layer(index);
  if (!l) return -1;
  return l->kind == Layer::Kind::Attribution ? l->sourceLayer : index;
}

const Layer* SkySession::attributionFor(int index) const {
  const Layer* l = layer(index);
  if (!l) return nullptr;
  if (l->kind == Layer::Kind::Attribution) return l;
  // The newest visible attribution of this map, of the same channel when there is one.
  const Layer* any = nullptr;
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    if (it->kind != Layer::Kind::Attribution || it->sourceLayer != index || !it->visible) continue;
    if (it->channel == l->channel) return &*it;
    if (!any) any = &*it;
  }
  return any;
}

int SkySession::addLayer(Layer layer) {
  layers_.push_back(std::move(layer));
  emit layersChanged();
  setCurrent(static_cast<int>(layers_.size()) - 1);
  return current_;
}

void SkySession::setCurrent(int index) {
  if (index == current_ || !layer(index)) return;
  current_ = index;
  emit currentChanged(index);
}

void SkySession::setTool(SelectionTool tool) {
  tool_ = tool;
  emit toolChanged();
}

void SkySession::setVisible(int index, bool visible) {
  if (!layer(index)) return;
  layers_[index].visible = visible;
  emit layersChanged();
}

void SkySession::setColormap(int index, const QString& name, bool symmetric) {
  if (!layer(index)) return;
  layers_[index].colormap = name;
  layers_[index].symmetric = symmetric;
  emit layersChanged();
}

void SkySession::setRange(int index, bool manual, double min, double max) {
  if (!layer(index)) return;
  if (manual && !(max > min)) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "the colour range needs min < max");
  layers_[index].manualRange = manual;
  layers_[index].rangeMin = min;
  layers_[index].rangeMax = max;
  emit layersChanged();
}

sky::ColorScale SkySession::colorScaleOf(const Layer& l) const {
  if (l.manualRange) return {l.rangeMin, l.rangeMax};
  if (!l.map) return {};
  // Percentiles of what is drawn (band-passed while an l-range is selected), computed once per
  // map: layers are immutable and kept alive by layers_ and bandPassed_.
  const auto shown = displayedMap(l);
  const auto key = std::make_pair(shown.get(), l.symmetric);
  auto it = percentileScales_.find(key);
  if (it == percentileScales_.end()) {
    if (const sky::ColorScale* made = bandPassed_->scaleOf(shown.get())) {
      const_cast<SkySession*>(this)->primeColorScale(shown.get(), *made);  // computed with the band-passed map
      return percentileScales_.at(key);
    }
    it = percentileScales_.emplace(key, sky::ColorScale::fromValues(shown->field(0), 0.5, 99.5, l.symmetric)).first;
  }
  return it->second;
}

void SkySession::setSelection(sky::Selection selection) {
  const bool bandChanged = selection.multipoles.has_value() != selection_.multipoles.has_value() ||
                           (selection.multipoles && (selection.multipoles->lmin != selection_.multipoles->lmin ||
                                                     selection.multipoles->lmax != selection_.multipoles->lmax));
  selection_ = std::move(selection);
  ++selectionVersion_;
  masks_.clear();
  maskJobs_.clear();  // those running are for the old selection: dropped when they end
  if (bandChanged) {
    // The scales of band-passed maps go with them; those of the layers' own maps stay.
    for (const sky::SkyMap* filtered : bandPassed_->made()) {
      percentileScales_.erase({filtered, false});
      percentileScales_.erase({filtered, true});
    }
    bandPassed_->clear();
  }
  emit selectionChanged();
}

void SkySession::addRegion(sky::Region region) {
  sky::Selection next = selection_.combined(mode_, std::move(region));
  next.name.clear();  // an edited selection is a new, unnamed one
  setSelection(std::move(next));
}

void SkySession::setMultipoles(std::optional<sky::MultipoleRange> range) {
  sky::Selection next = selection_;
  next.multipoles = range;
  setSelection(std::move(next));
}

const sky::SkyMask* SkySession::selectionMask(int nside) const { return selectionMaskShared(nside).get(); }

std::shared_ptr<const sky::SkyMask> SkySession::selectionMaskShared(int nside) const {
  if (!selection_.hasRegion()) return nullptr;
  auto it = masks_.find(nside);
  if (it == masks_.end())
    it = masks_.emplace(nside, std::make_shared<const sky::SkyMask>(selection_.maskFor(nside))).first;
  return it->second;
}

std::shared_ptr<const sky::SkyMask> SkySession::selectionMaskIfReady(int nside) const {
  if (!selection_.hasRegion()) return nullptr;
  if (const auto it = masks_.find(nside); it != masks_.end()) return it->second;
  if (maskJobs_.insert(nside).second) {
    auto* self = const_cast<SkySession*>(this);  // a cache fill: the selection itself is unchanged
    auto* watcher = new QFutureWatcher<void>(self);
    const auto job = runOnPool(computePool(), [selection = selection_, nside] {
      return std::make_shared<const sky::SkyMask>(selection.maskFor(nside));
    });
    connect(watcher, &QFutureWatcher<void>::finished, self, [self, watcher, job, nside, version = selectionVersion_] {
      watcher->deleteLater();
      if (version != self->selectionVersion_) return;  // the selection has changed since
      self->maskJobs_.erase(nside);
      try {
        self->masks_.emplace(nside, job.take());  // unless made meanwhile by selectionMask()
      } catch (const std::exception& e) {
        emit self->displayProblem(tr("the selection could not be drawn at nside %1: %2").arg(nside).arg(e.what()));
        return;
      }
      emit self->selectionMasksReady();
    });
    watcher->setFuture(job.future);
  }
  return nullptr;
}

void SkySession::saveSelection(const QString& name) {
  if (!selection_.hasRegion() && !selection_.multipoles) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument, "nothing is selected to save");
  }
  sky::Selection named = selection_;
  named.name = name.toStdString();
  saved_.push_back(named);
  selection_.name = named.name;
  emit savedSelectionsChanged();
}

void SkySession::restoreSelection(int index) {
  if (index < 0 || index >= static_cast<int>(saved_.size())) return;
  setSelection(saved_[static_cast<size_t>(index)]);
}

std::shared_ptr<const sky::SkyMap> SkySession::displayedMap(const Layer& l) const {
  if (!l.map || !selection_.multipoles) return l.map;
  const auto filtered = bandPassed_->get(l.map, *selection_.multipoles);
  return filtered ? filtered : l.map;
}

std::shared_ptr<const sky::SkyMap> fieldOf(const std::shared_ptr<const sky::SkyMap>& map, int field) {
  if (map->fieldCount() == 1) return map;
  return std::make_shared<const sky::SkyMap>(map->fieldMap(field));
}

QString describeLayer(const Layer& l) {
  if (!l.map) return l.name;
  QStringList parts;
  const QString column = QString::fromStdString(l.map->fieldName(0));
  const std::string role = l.inputMap ? l.inputMap->fieldRole(l.channel) : std::string();
  if (l.kind == Layer::Kind::Attribution)
    parts << SkySession::tr("attribution (%1)").arg(l.method);
  else if (role == "mask")
    parts << SkySession::tr("column %1: a mask (not read by models)").arg(column);
  else if (!role.empty())
    parts << SkySession::tr("column %1, read as %2").arg(column, QString::fromStdString(role));
  else
    parts << SkySession::tr("column %1").arg(column);
  parts << SkySession::tr("nside %1").arg(l.map->nside());
  if (!l.map->unit().empty()) {
    const DisplayUnit shown = displayUnitOf(l);
    const QString unit = QString::fromStdString(l.map->unit());
    parts << (shown.label == unit ? SkySession::tr("unit %1").arg(unit)
                                  : SkySession::tr("unit %1, shown in %2").arg(unit, shown.label));
  }
  if (!l.path.isEmpty()) parts << l.path;
  return parts.join("; ");
}

QString shortFieldName(const std::string& name) {
  static const std::map<std::string, QString> known = {
      {"TEMPERATURE", "T"},    {"Q_POLARISATION", "Q"}, {"U_POLARISATION", "U"}, {"Q-POLARISATION", "Q"},
      {"U-POLARISATION", "U"}, {"I_STOKES", "T"},       {"Q_STOKES", "Q"},       {"U_STOKES", "U"}};
  const auto it = known.find(name);
  return it != known.end() ? it->second : QString::fromStdString(name);
}

Layer SkySession::mapLayer(const LoadedMap& map, int field) {
  Layer l;
  if (map.whole->fieldRole(field) == "mask") l.colormap = "gray";  // a TMASK/PMASK column
  l.name = QFileInfo(map.path).fileName();
  if (map.whole->fieldCount() > 1) l.name += QString(" [%1]").arg(shortFieldName(map.whole->fieldName(field)));
  l.path = map.path;
  l.map = map.fields.at(static_cast<size_t>(field));
  l.inputMap = map.whole;
  l.channel = field;
  return l;
}

int SkySession::addLoadedMap(const LoadedMap& map, int field) {
  if (field >= map.whole->fieldCount()) {
    throw sky::SkyError(sky::ErrorKind::InvalidData, map.path.toStdString() + " has no field " + std::to_string(field));
  }
  // All fields first, then one layersChanged and one current change: views refresh once, not
  // once per field (each refresh of a big map starts work on the pool).
  const int first = static_cast<int>(layers_.size());
  for (int f = 0; f < map.whole->fieldCount(); ++f) {
    if (field >= 0 && f != field) continue;
    primeColorScale(map.fields[static_cast<size_t>(f)].get(), map.scales.at(static_cast<size_t>(f)));
    layers_.push_back(mapLayer(map, f));
  }
  emit layersChanged();
  setCurrent(first);
  return first;
}

void SkySession::primeColorScale(const sky::SkyMap* map, const sky::ColorScale& rawPercentiles) {
  for (const bool symmetric : {false, true})
    percentileScales_[{map, symmetric}] = sky::ColorScale::fromPercentiles(rawPercentiles, symmetric);
}

int SkySession::openMap(const QString& path) {
  return addLoadedMap(runResponsive([path] { return loadMapFile(path); }));
}

void SkySession::openModel(const QString& path) {
  if (!QFileInfo::exists(path))
    throw sky::SkyError(sky::ErrorKind::FileNotFound, "no such model file: " + path.toStdString());
  const auto cardPath = sky::modelCardPathFor(path.toStdString());
  if (!cardPath) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument,
                        path.toStdString() + " has no model card (" + QFileInfo(path).completeBaseName().toStdString() +
                            ".json beside it) saying its input grid; write one (see the README)");
  }
  sky::ModelLoadOptions options;
  options.exactModel = exactModel_;
  model_ = sky::loadTorchScriptModel(path.toStdString(), options);
  modelPath_ = path;
  emit modelChanged();
}

void SkySession::setExactModel(bool exact) {
  if (exact == exactModel_) return;
  exactModel_ = exact;
  // Jobs already queued keep the model they were given (shared_ptr).
  if (model_ && !modelPath_.isEmpty()) openModel(modelPath_);
}

QString SkySession::modelMapMismatch() const {
  if (!model_) return {};
  const std::vector<std::string>& channels = model_->card().channels;
  for (const Layer& l : layers_) {
    const auto& input = l.inputMap ? l.inputMap : l.map;
    if (l.kind != Layer::Kind::Map || !input) continue;
    QStringList missing, wanted, fields;
    for (const auto& c : channels) {
      wanted << QString::fromStdString(c);
      if (input->fieldIndex(c) < 0) missing << QString::fromStdString(c);
    }
    if (missing.isEmpty()) continue;
    for (const auto& n : input->fieldNames()) fields << shortFieldName(n);
    return tr("The model reads %1 but %2 has no %3 (its fields: %4): explaining it will fail. Open a map with %1, or a "
              "model made for these fields.")
        .arg(wanted.join(", "), l.path.isEmpty() ? l.name : QFileInfo(l.path).fileName(), missing.join(", "),
             fields.join(", "));
  }
  return {};
}

std::vector<sky::DemoSky> SkySession::demoSkies() { return sky::makeDemoSkies(2, 2026); }

int SkySession::addDemoMap(int demoIndex) {
  const auto skies = demoSkies();
  if (demoIndex < 0 || demoIndex >= static_cast<int>(skies.size())) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument, "no demo map " + std::to_string(demoIndex));
  }
  const sky::DemoSky& s = skies[static_cast<size_t>(demoIndex)];
  Layer l;
  l.name = QString("demo %1 #%2").arg(s.label ? "feature" : "LambdaCDM").arg(s.seed % 1000003ULL);
  l.map = std::make_shared<const sky::SkyMap>(s.map);
  l.demoIndex = demoIndex;
  return addLayer(std::move(l));
}

void SkySession::openDemo() {
  openModel(demoModelPath());
  const auto count = static_cast<int>(demoSkies().size());
  for (int k = 0; k < count; ++k) addDemoMap(k);
  setCurrent(1);  // a feature sky
}

int SkySession::addDifference(int ia, int ib) {
  const Layer* a = layer(ia);
  const Layer* b = layer(ib);
  if (!a || !b || !a->map || !b->map || a->map->nside() != b->map->nside()) {
    throw sky::SkyError(sky::ErrorKind::InvalidArgument, "a difference needs two layers of the same nside");
  }
  Layer diff;  // everything taken from a and b before the wait below, which may add layers
  diff.kind = a->kind;
  diff.name = QString("%1 - %2").arg(a->name, b->name);
  diff.sourceLayer = a->kind == Layer::Kind::Attribution ? a->sourceLayer : -1;
  // The difference and its colour scale grow with the pixels: both off the GUI thread.
  auto [map, scale] = runResponsive([ma = a->map, mb = b->map] {
    std::vector<double> d(ma->field(0).size());
    const auto va = ma->field(0), vb = mb->field(0);
#pragma omp parallel for schedule(static) if (d.size() > (1u << 20))
    for (size_t p = 0; p < d.size(); ++p)
      d[p] = sky::isMasked(va[p]) || sky::isMasked(vb[p]) ? sky::kUnseen : va[p] - vb[p];
    auto m = std::make_shared<const sky::SkyMap>(ma->nside(), sky::Ordering::Ring,
                                                 std::vector<std::vector<double>>{std::move(d)},
                                                 std::vector<std::string>{"DIFFERENCE"}, ma->unit());
    return std::make_pair(m, sky::ColorScale::percentiles(m->field(0)));
  });
  primeColorScale(map.get(), scale);
  diff.map = std::move(map);
  diff.colormap = "rdbu_r";
  diff.symmetric = true;
  diff.method = "difference";
  diff.parameters = {{"a", ia}, {"b", ib}};
  const int keepCurrent = current_;
  const int index = addLayer(std::move(diff));
  setCurrent(keepCurrent);
  return index;
}

int SkySession::openAttributionMap(const QString& path, const QString& name, const QString& method, int sourceLayer,
                                   int onlyField) {
  const LoadedMap loaded = runResponsive([path] { return loadMapFile(path); });
  const auto& whole = loaded.whole;
  if (onlyField >= whole->fieldCount()) {
    throw sky::SkyError(sky::ErrorKind::InvalidData, path.toStdString() + " has no field " + std::to_string(onlyField));
  }
  int first = -1;
  for (int f = 0; f < whole->fieldCount(); ++f) {
    if (onlyField >= 0 && f != onlyField) continue;
    Layer l;
    l.kind = Layer::Kind::Attribution;
    l.name = whole->fieldCount() > 1 && onlyField < 0
                 ? QString("%1 [%2]").arg(name, shortFieldName(whole->fieldName(f)))
                 : name;
    l.map = loaded.fields[static_cast<size_t>(f)];
    primeColorScale(l.map.get(), loaded.scales[static_cast<size_t>(f)]);
    l.channel = f;
    l.colormap = "rdbu_r";
    l.symmetric = true;
    l.sourceLayer = sourceLayer;
    l.method = method;
    l.path = path;
    const int index = addLayer(std::move(l));
    if (first < 0) first = index;
  }
  return first;
}

int SkySession::addComputedMap(const QString& name, std::vector<double> ringValues, int nside, bool symmetric,
                               std::shared_ptr<const Layer::SpectrumScatter> spectrum) {
  Layer l;
  l.kind = Layer::Kind::Attribution;
  l.name = name;
  l.map = std::make_shared<const sky::SkyMap>(nside, sky::Ordering::Ring,
                                              std::vector<std::vector<double>>{std::move(ringValues)},
                                              std::vector<std::string>{"MEAN"});
  l.colormap = symmetric ? "rdbu_r" : "viridis";
  l.symmetric = symmetric;
  l.method = "mean";
  l.spectrumScatter = std::move(spectrum);
  const int keepCurrent = current_;
  const int index = addLayer(std::move(l));
  setCurrent(keepCurrent);
  return index;
}

int SkySession::layerOfFile(const QString& path) const {
  for (size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i].kind == Layer::Kind::Map && layers_[i].path == path) return static_cast<int>(i);
  return -1;
}

void SkySession::clear() {
  layers_.clear();
  current_ = -1;
  model_.reset();
  modelPath_.clear();
  percentileScales_.clear();
  saved_.clear();
  setSelection({});
  emit modelChanged();
  emit savedSelectionsChanged();
  emit layersChanged();
  emit currentChanged(-1);
}

std::shared_ptr<const sky::Image> SkySession::modelInputFor(int index) const {
  const Layer* l = layer(index);
  if (!l || !l->map) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "select a map layer first");
  if (!model_) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "open a model first (File > Open model)");
  const sky::SkyMap& source = l->inputMap ? *l->inputMap : *l->map;  // all of the file's fields
  sky::Image image = sky::modelInput(source, model_->card(), l->name.toStdString());
  return std::make_shared<const sky::Image>(std::move(image));
}

}  // namespace ui
