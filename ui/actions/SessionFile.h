#pragma once
// Session files (JSON, "skyinterpret-session/1"): the model, the maps (files or demo skies),
// the explainer runs with their parameters, colour settings, the selection and the named ones,
// and each view's state (through the view registry), so that loading reproduces the screen. The results of explainer
// runs are saved beside the file (SessionData.h) and read back on load; a run is re-run only when its results are
// missing (older sessions) or when asked. Files that have gone missing are reported and skipped, never fatal.
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <map>

#include "actions/SessionData.h"
#include "actions/SessionHost.h"
#include "select/Selection.h"
#include "state/SkySession.h"

namespace ui {

// With `runs`, the runs' results are planned beside `sessionPath` (for saveSession to write)
// and named in the JSON.
QJsonObject sessionToJson(SessionHost& window, const QString& sessionPath = {}, std::vector<RunData>* runs = nullptr);
// The results are written on a worker while the window keeps answering (a local event loop
// waits for them), then the JSON; each file atomic. Throws sky::SkyError.
void saveSession(SessionHost& window, const QString& path);

// Selections in session files; layer references go through the layer indices of the session.
QJsonObject selectionToJson(const sky::Selection& selection, const SkySession& session);
sky::Selection selectionFromJson(const QJsonObject& json, const std::map<int, int>& layerIndex,
                                 const SkySession& session, QStringList& problems);

// Restores a session into the window: maps and model at once, runs through the job queue, and
// the rest (colours, selection, view) once the runs are done, then emits finished(problems).
class SessionLoader : public QObject {
  Q_OBJECT
 public:
  SessionLoader(SessionHost& window, QObject* parent = nullptr);
  // Throws sky::SkyError when the file is missing or not a session; other problems are collected.
  // With `rerun`, explainer runs are computed again even where their results were saved.
  void load(const QString& path, bool rerun = false);
  bool done() const { return done_; }
  const QStringList& problems() const { return problems_; }

 signals:
  void finished(QStringList problems);

 private:
  void nextStep();
  void applyRest();
  // Map files are read in the background, each once however many of its fields are layers.
  bool mapFileReady(const QString& path);
  SessionHost& window_;
  QJsonObject json_;
  std::map<int, int> index_;  // saved layer index -> index now
  int nextLayer_ = 0;
  int waitingFor_ = -1;      // saved index of the run in flight
  int waitingForLoad_ = -1;  // MapLoader id of the map file being read
  QString path_;
  bool rerun_ = false;
  // A saved run's results back as layers; false when they cannot be read (then it is re-run).
  bool restoreRun(int saved, const QJsonObject& layer, int sourceLayer);
  std::map<QString, LoadedMap> loadedFiles_;
  std::map<QString, QString> unreadableFiles_;  // path -> why
  QStringList problems_;
  bool done_ = false;
};

}  // namespace ui
