#pragma once
// The central views, described once: a stable id (the command line's --view and
// --export-figure, session files, figures), a title, how to make the widget, how it paints a
// figure, when it is still computing, and the state it keeps in sessions. MainWindow builds
// its tabs from this list and the session loader applies the saved state through it, so
// neither switches on view names. Adding a view: its class with a static viewSpec(), and a line
// in builtinViews() (ViewRegistry.cpp).
#include <QJsonObject>
#include <QPainter>
#include <QString>
#include <QStringList>
#include <functional>
#include <vector>

class QWidget;

namespace ui {

class SkySession;
class ExplainJobs;

// What a view may use from the window that hosts it.
struct ViewHost {
  SkySession* session = nullptr;
  ExplainJobs* jobs = nullptr;
};

// Saved layer index -> the index that layer has now (-1: not restored).
using LayerIndexMap = std::function<int(int savedIndex)>;

struct ViewSpec {
  QString id;              // "mollweide"
  const char* title = "";  // tab title, translated in the "ui::ViewRegistry" context
  QString unavailable;     // why create() may give nothing here ("" when it always works)
  std::function<QWidget*(const ViewHost&, QWidget* parent)> create;  // null result: not here
  // The figure of the view as it is now; empty when the view makes none.
  std::function<void(QWidget* view, QPainter& painter, const QRect& bounds, double rasterScale)> paintFigure;
  std::function<void(QWidget* view)> prepareFigure;           // waits for what the figure shows (optional)
  std::function<bool(const QWidget* view)> computing;         // background work still running (optional)
  std::function<QJsonObject(const QWidget* view)> saveState;  // what sessions keep (optional)
  std::function<void(QWidget* view, const QJsonObject& state, const LayerIndexMap& layers)> restoreState;
  QStringList formerKeys;  // keys earlier session files used for this state
};

const std::vector<ViewSpec>& viewSpecs();
const ViewSpec* findViewSpec(const QString& id);  // null for an unknown id
QStringList figureViewIds();                      // the views that paint figures
// Adds (or replaces, by id) a view: for tests and extensions, before any window is made.
void registerView(ViewSpec spec);

}  // namespace ui
