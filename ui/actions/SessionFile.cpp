#include "actions/SessionFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include "jobs/PoolRun.h"
#include "jobs/RunResponsive.h"
#include "util/Error.h"
#include "views/ViewRegistry.h"

namespace ui {

namespace {

constexpr const char* kFormat = "skyinterpret-session/1";

QJsonArray pair(double a, double b) { return QJsonArray{a, b}; }

int layerIndexOfMap(const SkySession& session, const sky::SkyMap* map) {
  for (size_t i = 0; i < session.layers().size(); ++i)
    if (session.layers()[i].map.get() == map) return static_cast<int>(i);
  return -1;
}

QJsonObject regionToJson(const sky::Region& region, const SkySession& session) {
  return std::visit(
      [&session](const auto& r) -> QJsonObject {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, sky::DiscRegion>) {
          return {{"type", "disc"}, {"theta", r.centre.theta}, {"phi", r.centre.phi}, {"radius", r.radius}};
        } else if constexpr (std::is_same_v<R, sky::PolygonRegion>) {
          QJsonArray v;
          for (const auto& p : r.vertices) v.append(pair(p.x, p.y));
          return {{"type", "polygon"},
                  {"plane", r.plane == sky::ProjectionPlane::Mollweide ? "mollweide" : "lonlat"},
                  {"vertices", v}};
        } else if constexpr (std::is_same_v<R, sky::ValueRangeRegion>) {
          return {{"type", "value_range"},
                  {"layer", layerIndexOfMap(session, r.map.get())},
                  {"layer_name", QString::fromStdString(r.layer)},
                  {"lo", r.lo},
                  {"hi", r.hi},
                  {"absolute", r.absolute}};
        } else if constexpr (std::is_same_v<R, sky::PixelSetRegion>) {
          // Runs of selected pixels: [start, length, start, length, ...].
          QJsonArray runs;
          const auto& in = *r.inside;
          for (size_t p = 0; p < in.size();) {
            if (!in[p]) {
              ++p;
              continue;
            }
            size_t q = p;
            while (q < in.size() && in[q]) ++q;
            runs.append(static_cast<qint64>(p));
            runs.append(static_cast<qint64>(q - p));
            p = q;
          }
          return {{"type", "pixels"}, {"nside", r.nside}, {"source", QString::fromStdString(r.source)}, {"runs", runs}};
        } else {
          return {{"type", "all"}};
        }
      },
      region);
}

std::optional<sky::Region> regionFromJson(const QJsonObject& o, const std::map<int, int>& index,
                                          const SkySession& session, QStringList& problems) {
  const QString type = o.value("type").toString();
  if (type == "disc")
    return sky::DiscRegion{{o.value("theta").toDouble(), o.value("phi").toDouble()}, o.value("radius").toDouble()};
  if (type == "polygon") {
    sky::PolygonRegion p;
    p.plane = o.value("plane").toString() == "lonlat" ? sky::ProjectionPlane::LonLat : sky::ProjectionPlane::Mollweide;
    for (const auto& v : o.value("vertices").toArray())
      p.vertices.push_back({v.toArray().at(0).toDouble(), v.toArray().at(1).toDouble()});
    return p;
  }
  if (type == "value_range") {
    const auto it = index.find(o.value("layer").toInt(-1));
    const Layer* l = it == index.end() ? nullptr : session.layer(it->second);
    if (!l || !l->map) {
      problems << QObject::tr("a value-range selection on '%1' was dropped: that layer could not be restored")
                      .arg(o.value("layer_name").toString());
      return std::nullopt;
    }
    return sky::ValueRangeRegion{l->name.toStdString(), l->map, o.value("lo").toDouble(), o.value("hi").toDouble(),
                                 o.value("absolute").toBool()};
  }
  if (type == "pixels") {
    const int nside = o.value("nside").toInt();
    if (!sky::isValidNside(nside)) {
      problems << QObject::tr("a pixel selection with nside %1 was dropped").arg(nside);
      return std::nullopt;
    }
    auto inside = std::make_shared<std::vector<uint8_t>>(static_cast<size_t>(sky::npixForNside(nside)), 0);
    const QJsonArray runs = o.value("runs").toArray();
    for (qsizetype k = 0; k + 1 < runs.size(); k += 2) {
      const qint64 start = runs.at(k).toInteger(), length = runs.at(k + 1).toInteger();
      for (qint64 p = std::max<qint64>(0, start); p < start + length && p < static_cast<qint64>(inside->size()); ++p)
        (*inside)[static_cast<size_t>(p)] = 1;
    }
    return sky::PixelSetRegion{o.value("source").toString().toStdString(), nside, inside};
  }
  if (type == "all") return sky::AllSkyRegion{};
  problems << QObject::tr("unknown selection region '%1' skipped").arg(type);
  return std::nullopt;
}

}  // namespace

QJsonObject selectionToJson(const sky::Selection& selection, const SkySession& session) {
  QJsonArray steps;
  for (const auto& step : selection.steps())
    steps.append(
        QJsonObject{{"mode", sky::selectionModeName(step.mode)}, {"region", regionToJson(step.region, session)}});
  QJsonObject o{{"name", QString::fromStdString(selection.name)}, {"steps", steps}};
  if (selection.multipoles) o["multipoles"] = QJsonArray{selection.multipoles->lmin, selection.multipoles->lmax};
  return o;
}

sky::Selection selectionFromJson(const QJsonObject& json, const std::map<int, int>& index, const SkySession& session,
                                 QStringList& problems) {
  sky::Selection s;
  for (const auto& v : json.value("steps").toArray()) {
    const QJsonObject step = v.toObject();
    auto region = regionFromJson(step.value("region").toObject(), index, session, problems);
    if (!region) continue;
    sky::SelectionMode mode = sky::SelectionMode::Replace;
    try {
      mode = sky::parseSelectionMode(step.value("mode").toString().toStdString());
    } catch (const sky::SkyError& e) {
      problems << QString::fromStdString(e.what());
    }
    s = s.combined(mode, std::move(*region));
  }
  const QJsonArray m = json.value("multipoles").toArray();
  if (m.size() == 2) s.multipoles = sky::MultipoleRange{m.at(0).toInt(), m.at(1).toInt()};
  s.name = json.value("name").toString().toStdString();
  return s;
}

QJsonObject sessionToJson(SessionHost& w, const QString& sessionPath, std::vector<RunData>* runs) {
  const SkySession& session = w.session();
  QJsonArray layers;
  const auto& all = session.layers();
  for (size_t i = 0; i < all.size(); ++i) {
    const Layer& l = all[i];
    QJsonObject o{{"name", l.name},
                  {"colormap", l.colormap},
                  {"symmetric", l.symmetric},
                  {"manual_range", l.manualRange},
                  {"range", pair(l.rangeMin, l.rangeMax)},
                  {"visible", l.visible}};
    if (l.kind == Layer::Kind::Map && l.demoIndex >= 0) {
      o["kind"] = "demo_map";
      o["demo_index"] = l.demoIndex;
    } else if (l.kind == Layer::Kind::Map && !l.path.isEmpty()) {
      o["kind"] = "map";
      o["path"] = l.path;
      o["field"] = l.channel;
    } else if (l.method == "difference") {
      o["kind"] = "difference";
      o["parameters"] = QJsonObject::fromVariantMap(l.parameters);
    } else if (l.kind == Layer::Kind::Attribution && !l.path.isEmpty()) {
      // Read from a file (a batch result): read again, never re-run with other settings.
      o["kind"] = "attribution_file";
      o["path"] = QFileInfo(l.path).absoluteFilePath();
      o["field"] = l.channel;
      o["source_layer"] = l.sourceLayer;
      o["method"] = l.method;
    } else if (l.kind == Layer::Kind::Attribution && !l.parameters.isEmpty()) {
      o["kind"] = "attribution";
      o["source_layer"] = l.sourceLayer;
      o["channel"] = l.channel;  // a run makes one layer per channel, saved in order
      o["parameters"] = QJsonObject::fromVariantMap(l.parameters);
      if (runs && l.channel == 0 && l.image) {
        // The run's results: its channel layers follow, sharing its attribution image.
        std::vector<std::shared_ptr<const sky::SkyMap>> channels;
        for (size_t k = i; k < all.size() && all[k].image == l.image && all[k].kind == Layer::Kind::Attribution; ++k)
          channels.push_back(all[k].map);
        const QString history =
            QStringLiteral("SkyInterpret session result: %1 of layer %2").arg(l.method).arg(l.sourceLayer);
        runs->push_back(planRunData(sessionPath, static_cast<int>(i), l.image, std::move(channels), history));
        o["data"] = runDataEntry(sessionPath, runs->back());
      }
    } else {
      o["kind"] = "unsaved";  // e.g. a map made in memory
    }
    layers.append(o);
  }
  QJsonArray saved;
  for (const auto& s : session.savedSelections()) saved.append(selectionToJson(s, session));
  // Each view keeps its own state under its registry id; "current" is the view on screen.
  QJsonObject view{{"current", w.currentViewId()}};
  for (const QString& id : w.viewIds()) {
    const ViewSpec* spec = findViewSpec(id);
    if (spec && spec->saveState) view[id] = spec->saveState(w.view(id));
  }
  return {{"format", kFormat},
          {"model", session.modelPath().isEmpty() ? QJsonValue()
                                                  : QJsonValue(QFileInfo(session.modelPath()).absoluteFilePath())},
          {"layers", layers},
          {"current_layer", session.currentIndex()},
          {"selection", selectionToJson(session.selection(), session)},
          {"selection_mode", sky::selectionModeName(session.selectionMode())},
          {"saved_selections", saved},
          {"view", view}};
}

void saveSession(SessionHost& window, const QString& path) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    throw sky::SkyError(sky::ErrorKind::OutputUnwritable,
                        "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
  }
  // The results first, then the JSON that names them: a failed save leaves the old session whole.
  std::vector<RunData> runs;
  const QJsonObject json = sessionToJson(window, path, &runs);
  runResponsive([runs] {  // rethrows a failed write
    for (const RunData& run : runs) writeRunData(run);
    return true;
  });
  file.write(QJsonDocument(json).toJson());
  if (!file.commit()) {
    throw sky::SkyError(sky::ErrorKind::OutputUnwritable,
                        "cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
  }
  QStringList kept;
  for (const auto& v : json.value("layers").toArray()) {
    const QJsonObject data = v.toObject().value("data").toObject();
    for (const char* key : {"image", "healpix"}) kept << runDataPath(path, data, key);
  }
  removeStaleRunData(path, kept);
}

SessionLoader::SessionLoader(SessionHost& window, QObject* parent) : QObject(parent), window_(window) {
  connect(&window_.jobs(), &ExplainJobs::finished, this, [this](int, const ExplainResult& result) {
    if (waitingFor_ < 0) return;
    // MainWindow has added the run's layers (it connected first), one per channel: the newest.
    index_[waitingFor_] = static_cast<int>(window_.session().layers().size()) - result.healpix->fieldCount();
    waitingFor_ = -1;
    QMetaObject::invokeMethod(this, &SessionLoader::nextStep, Qt::QueuedConnection);
  });
  auto runFailed = [this] {
    if (waitingFor_ < 0) return;
    problems_ << tr("the run for layer %1 did not finish; it is left out").arg(waitingFor_);
    waitingFor_ = -1;
    QMetaObject::invokeMethod(this, &SessionLoader::nextStep, Qt::QueuedConnection);
  };
  connect(&window_.jobs(), &ExplainJobs::failed, this, runFailed);
  connect(&window_.jobs(), &ExplainJobs::cancelled, this, runFailed);
  MapLoader& loader = window_.mapLoader();
  connect(&loader, &MapLoader::loaded, this, [this](int id, const LoadedMap& map) {
    if (id != waitingForLoad_) return;
    waitingForLoad_ = -1;
    loadedFiles_[map.path] = map;
    nextStep();
  });
  auto loadFailed = [this](int id, const QString& path, const QString& why) {
    if (id != waitingForLoad_) return;
    waitingForLoad_ = -1;
    unreadableFiles_[QFileInfo(path).absoluteFilePath()] = why;
    nextStep();
  };
  connect(&loader, &MapLoader::failed, this, loadFailed);
  connect(&loader, &MapLoader::cancelled, this,
          [loadFailed](int id, const QString& path) { loadFailed(id, path, tr("reading it was cancelled")); });
}

bool SessionLoader::mapFileReady(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  if (loadedFiles_.count(absolute)) return true;
  if (const auto bad = unreadableFiles_.find(absolute); bad != unreadableFiles_.end()) {
    throw sky::SkyError(sky::ErrorKind::InvalidData, bad->second.toStdString());
  }
  waitingForLoad_ = window_.mapLoader().load(path);
  return false;
}

void SessionLoader::load(const QString& path, bool rerun) {
  path_ = path;
  rerun_ = rerun;
  QFile file(path);
  if (!file.exists()) throw sky::SkyError(sky::ErrorKind::FileNotFound, "no such session file: " + path.toStdString());
  if (!file.open(QIODevice::ReadOnly))
    throw sky::SkyError(sky::ErrorKind::FileNotFound, "cannot read " + path.toStdString());
  QJsonParseError error;
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
  if (doc.isNull() || !doc.isObject()) {
    throw sky::SkyError(sky::ErrorKind::InvalidFormat,
                        path.toStdString() + " is not JSON: " + error.errorString().toStdString());
  }
  json_ = doc.object();
  if (json_.value("format").toString() != kFormat) {
    throw sky::SkyError(sky::ErrorKind::InvalidFormat,
                        path.toStdString() + " is not a SkyInterpret session (format " + kFormat + ")");
  }
  SkySession& session = window_.session();
  session.clear();
  const QString model = json_.value("model").toString();
  if (!model.isEmpty()) {
    try {
      session.openModel(model);
    } catch (const sky::SkyError& e) {
      problems_ << QString::fromStdString(e.what());
    }
  }
  nextStep();
}

void SessionLoader::nextStep() {
  SkySession& session = window_.session();
  const QJsonArray layers = json_.value("layers").toArray();
  // Maps now; a run goes to the job queue and the next layer waits for it (indices stay in order).
  while (nextLayer_ < layers.size()) {
    const int saved = nextLayer_++;
    const QJsonObject o = layers.at(saved).toObject();
    const QString kind = o.value("kind").toString();
    try {
      if (kind == "map") {
        const QString path = o.value("path").toString();
        if (!mapFileReady(path)) {
          --nextLayer_;  // this layer again once the file is read
          return;
        }
        const int field = o.value("field").toInt();
        if (field < 0)
          throw sky::SkyError(sky::ErrorKind::InvalidData,
                              path.toStdString() + " has no field " + std::to_string(field));
        index_[saved] = session.addLoadedMap(loadedFiles_.at(QFileInfo(path).absoluteFilePath()), field);
      } else if (kind == "demo_map") {
        index_[saved] = session.addDemoMap(o.value("demo_index").toInt());
      } else if (kind == "difference") {
        const QVariantMap p = o.value("parameters").toObject().toVariantMap();
        const auto a = index_.find(p.value("a").toInt()), b = index_.find(p.value("b").toInt());
        if (a == index_.end() || b == index_.end())
          throw sky::SkyError(sky::ErrorKind::InvalidData, "its layers are missing");
        index_[saved] = session.addDifference(a->second, b->second);
      } else if (kind == "attribution_file") {
        const auto source = index_.find(o.value("source_layer").toInt());
        index_[saved] = session.openAttributionMap(
            o.value("path").toString(), o.value("name").toString(), o.value("method").toString(),
            source == index_.end() ? -1 : source->second, o.value("field").toInt());
      } else if (kind == "attribution" && o.value("channel").toInt() > 0) {
        const auto first = index_.find(saved - o.value("channel").toInt());  // made by channel 0's run
        if (first == index_.end()) throw sky::SkyError(sky::ErrorKind::InvalidData, "its run is missing");
        index_[saved] = first->second + o.value("channel").toInt();
      } else if (kind == "attribution") {
        const auto source = index_.find(o.value("source_layer").toInt());
        if (source == index_.end()) throw sky::SkyError(sky::ErrorKind::InvalidData, "the map it explains is missing");
        if (!rerun_ && o.contains("data")) {
          const QString fits = runDataPath(path_, o.value("data").toObject(), "healpix");
          bool ready = false;
          try {
            ready = mapFileReady(fits);
          } catch (const sky::SkyError& e) {
            problems_ << tr("the saved results of layer '%1' could not be read (%2); it is computed again")
                             .arg(o.value("name").toString(), QString::fromStdString(e.what()));
          }
          if (!ready && waitingForLoad_ >= 0) {
            --nextLayer_;  // this layer again once the file is read
            return;
          }
          if (ready && restoreRun(saved, o, source->second)) continue;
        }
        ExplainRequest r = ExplainRequest::fromParameters(o.value("parameters").toObject().toVariantMap());
        r.sourceLayer = source->second;
        r.input = session.modelInputFor(source->second);
        r.model = session.model();
        r.nside = session.layer(source->second)->map->nside();
        waitingFor_ = saved;
        window_.jobs().submit(std::move(r));
        return;  // resumed by the job's finished/failed signal
      } else {
        throw sky::SkyError(sky::ErrorKind::InvalidData, "it cannot be saved in a session");
      }
    } catch (const sky::SkyError& e) {
      problems_ << tr("layer '%1' left out: %2").arg(o.value("name").toString(), QString::fromStdString(e.what()));
    }
  }
  applyRest();
}

bool SessionLoader::restoreRun(int saved, const QJsonObject& o, int sourceLayer) {
  const QJsonObject data = o.value("data").toObject();
  const LoadedMap& maps = loadedFiles_.at(QFileInfo(runDataPath(path_, data, "healpix")).absoluteFilePath());
  ExplainResult result;
  try {
    result.image = readRunImage(runDataPath(path_, data, "image"));
  } catch (const sky::SkyError& e) {
    problems_ << tr("the saved results of layer '%1' could not be read (%2); it is computed again")
                     .arg(o.value("name").toString(), QString::fromStdString(e.what()));
    return false;
  }
  result.request = ExplainRequest::fromParameters(o.value("parameters").toObject().toVariantMap());
  result.request.sourceLayer = sourceLayer;
  result.request.model = window_.session().model();
  result.request.nside = maps.whole->nside();
  result.healpix = maps.whole;
  result.scales = maps.scales;
  index_[saved] = window_.addAttributionLayers(result);
  return true;
}

void SessionLoader::applyRest() {
  SkySession& session = window_.session();
  const QJsonArray layers = json_.value("layers").toArray();
  for (const auto& [saved, now] : index_) {
    const QJsonObject o = layers.at(saved).toObject();
    session.setColormap(now, o.value("colormap").toString("planck"), o.value("symmetric").toBool());
    const QJsonArray range = o.value("range").toArray();
    if (o.value("manual_range").toBool() && range.size() == 2) {
      try {
        session.setRange(now, true, range.at(0).toDouble(), range.at(1).toDouble());
      } catch (const sky::SkyError& e) {
        problems_ << QString::fromStdString(e.what());
      }
    }
    session.setVisible(now, o.value("visible").toBool(true));
  }
  for (const auto& v : json_.value("saved_selections").toArray()) {
    sky::Selection s = selectionFromJson(v.toObject(), index_, session, problems_);
    session.setSelection(s);
    session.saveSelection(QString::fromStdString(s.name));
  }
  try {
    session.setSelectionMode(sky::parseSelectionMode(json_.value("selection_mode").toString("replace").toStdString()));
  } catch (const sky::SkyError& e) {
    problems_ << QString::fromStdString(e.what());
  }
  session.setSelection(selectionFromJson(json_.value("selection").toObject(), index_, session, problems_));
  const auto current = index_.find(json_.value("current_layer").toInt(-1));
  if (current != index_.end()) session.setCurrent(current->second);
  // The views: each restores its own state; sessions of earlier versions named some
  // differently (formerKeys) and named the shown view by its tab title.
  const QJsonObject view = json_.value("view").toObject();
  const LayerIndexMap layerNow = [this](int saved) {
    const auto it = index_.find(saved);
    return it == index_.end() ? -1 : it->second;
  };
  for (const QString& id : window_.viewIds()) {
    const ViewSpec* spec = findViewSpec(id);
    if (!spec || !spec->restoreState) continue;
    QJsonValue state = view.value(id);
    for (const QString& former : spec->formerKeys) {
      if (state.isUndefined()) state = view.value(former);
    }
    if (state.isObject()) spec->restoreState(window_.view(id), state.toObject(), layerNow);
  }
  if (view.contains("current")) {
    window_.showView(view.value("current").toString());
  } else {
    const QString tab = view.value("tab").toString();
    for (const QString& id : window_.viewIds()) {
      const ViewSpec* spec = findViewSpec(id);
      if (spec && QCoreApplication::translate("ui::ViewRegistry", spec->title) == tab) window_.showView(id);
    }
  }
  done_ = true;
  emit finished(problems_);
}

}  // namespace ui
