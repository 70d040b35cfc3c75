#include "views/ViewRegistry.h"

#include <algorithm>

#include "views/AnalysisView.h"
#include "views/ComparisonView.h"
#include "views/GroupValuesView.h"
#include "views/ImageView.h"
#include "views/MollweideView.h"
#include "views/SpectrumView.h"
#include "vtk/SphereView.h"

namespace ui {

namespace {

std::vector<ViewSpec> builtinViews() {
  return {MollweideView::viewSpec(),  SphereView::viewSpec(),   ImageView::viewSpec(),      SpectrumView::viewSpec(),
          ComparisonView::viewSpec(), AnalysisView::viewSpec(), GroupValuesView::viewSpec()};
}

std::vector<ViewSpec>& registry() {
  static std::vector<ViewSpec> all = builtinViews();
  return all;
}

}  // namespace

const std::vector<ViewSpec>& viewSpecs() { return registry(); }

const ViewSpec* findViewSpec(const QString& id) {
  for (const auto& spec : registry()) {
    if (spec.id == id) return &spec;
  }
  return nullptr;
}

QStringList figureViewIds() {
  QStringList ids;
  for (const auto& spec : registry()) {
    if (spec.paintFigure) ids << spec.id;
  }
  return ids;
}

void registerView(ViewSpec spec) {
  auto& all = registry();
  const auto it = std::find_if(all.begin(), all.end(), [&](const ViewSpec& s) { return s.id == spec.id; });
  if (it != all.end())
    *it = std::move(spec);
  else
    all.push_back(std::move(spec));
}

}  // namespace ui
