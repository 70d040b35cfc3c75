#pragma once
// What session files need from the window that shows a session: its state, its job queue and
// map loader, a way to add explainer results as layers, and its views by registry id
// (views/ViewRegistry.h). SessionFile talks to this, not to MainWindow, so the session format
// stays plain data that a loader applies.
#include <QString>
#include <QStringList>

#include "jobs/ExplainJobs.h"
#include "jobs/MapLoader.h"
#include "state/SkySession.h"

class QWidget;

namespace ui {

class SessionHost {
 public:
  virtual ~SessionHost() = default;
  virtual SkySession& session() = 0;
  virtual ExplainJobs& jobs() = 0;
  virtual MapLoader& mapLoader() = 0;
  // The layers of an explainer's result (one per channel); returns the first one's index.
  virtual int addAttributionLayers(const ExplainResult& result) = 0;
  virtual QStringList viewIds() const = 0;
  virtual QWidget* view(const QString& id) const = 0;  // null for a view this host lacks
  virtual QString currentViewId() const = 0;
  virtual bool showView(const QString& id) = 0;
};

}  // namespace ui
