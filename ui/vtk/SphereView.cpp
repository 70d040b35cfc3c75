#include "vtk/SphereView.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

#include <cmath>
#include <numbers>

#include "render/Colormap.h"
#include "sky/Mollweide.h"

namespace ui {
namespace {

constexpr double kPi = std::numbers::pi;

vtkSmartPointer<vtkActor> graticule() {
  auto points = vtkSmartPointer<vtkPoints>::New();
  auto lines = vtkSmartPointer<vtkCellArray>::New();
  const double r = 1.003;
  auto addLine = [&](auto&& at, int samples) {
    lines->InsertNextCell(samples);
    for (int k = 0; k < samples; ++k) {
      const auto [theta, phi] = at(k / (samples - 1.0));
      lines->InsertCellPoint(points->InsertNextPoint(r * std::sin(theta) * std::cos(phi), r * std::sin(theta) * std::sin(phi),
                                                     r * std::cos(theta)));
    }
  };
  for (int lat = -60; lat <= 60; lat += 30) {
    const double theta = (90.0 - lat) * kPi / 180.0;
    addLine([&](double t) { return std::pair{theta, 2 * kPi * t}; }, 181);
  }
  for (int lon = 0; lon < 360; lon += 30) {
    const double phi = lon * kPi / 180.0;
    addLine([&](double t) { return std::pair{kPi * t, phi}; }, 91);
  }
  auto lineData = vtkSmartPointer<vtkPolyData>::New();
  lineData->SetPoints(points);
  lineData->SetLines(lines);
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(lineData);
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(0.2, 0.2, 0.2);
  actor->GetProperty()->SetOpacity(0.5);
  return actor;
}

}  // namespace

SphereView::SphereView(SkySession* session, QWidget* parent) : VtkOpenGLWidget(parent), session_(session) {
  renderer()->SetBackground(1.0, 1.0, 1.0);
  renderer()->AddActor(graticule());
  connect(session_, &SkySession::currentChanged, this, [this] { rebuild(); });
  connect(session_, &SkySession::layersChanged, this, [this] { rebuild(); });
  resetCamera();
}

void SphereView::resetCamera() {
  vtkCamera* camera = renderer()->GetActiveCamera();
  camera->SetFocalPoint(0, 0, 0);
  camera->SetPosition(4.2, 0, 0.6);  // looking at (l, b) = (0, 0) from outside
  camera->SetViewUp(0, 0, 1);
  update();
}

void SphereView::rebuild() {
  if (surface_) renderer()->RemoveActor(surface_);
  surface_ = nullptr;
  const Layer* l = session_->layer(session_->currentIndex());
  if (!l || !l->map) {
    update();
    return;
  }
  // Mesh resolution follows the map (4 rows per nside) up to 512 rows: ~1M triangles.
  rows_ = std::min(4 * l->map->nside(), 512) + 1;
  const int cols = 2 * (rows_ - 1) + 1;
  const auto values = l->map->field(0);
  const sky::ColorScale scale = sky::ColorScale::fromValues(values, 0.5, 99.5, l->symmetric);
  const sky::Colormap cmap = sky::Colormap::named(l->colormap.toStdString());
  auto points = vtkSmartPointer<vtkPoints>::New();
  points->SetNumberOfPoints(static_cast<vtkIdType>(rows_) * cols);
  auto colors = vtkSmartPointer<vtkUnsignedCharArray>::New();
  colors->SetNumberOfComponents(3);
  colors->SetNumberOfTuples(static_cast<vtkIdType>(rows_) * cols);
  for (int i = 0; i < rows_; ++i) {
    const double theta = kPi * i / (rows_ - 1.0);
    for (int j = 0; j < cols; ++j) {
      const double phi = 2 * kPi * j / (cols - 1.0);
      const vtkIdType id = static_cast<vtkIdType>(i) * cols + j;
      points->SetPoint(id, std::sin(theta) * std::cos(phi), std::sin(theta) * std::sin(phi), std::cos(theta));
      const double v = values[sky::ringPixelAt(l->map->nside(), {theta, std::fmod(phi, 2 * kPi)})];
      const uint32_t c = sky::isMasked(v) ? sky::kMaskedColor : cmap.color(scale.normalise(v));
      const unsigned char rgb[3] = {static_cast<unsigned char>(c >> 16), static_cast<unsigned char>(c >> 8),
                                    static_cast<unsigned char>(c)};
      colors->SetTypedTuple(id, rgb);
    }
  }
  auto strips = vtkSmartPointer<vtkCellArray>::New();
  for (int i = 0; i + 1 < rows_; ++i) {
    strips->InsertNextCell(2 * cols);
    for (int j = 0; j < cols; ++j) {
      strips->InsertCellPoint(static_cast<vtkIdType>(i) * cols + j);
      strips->InsertCellPoint(static_cast<vtkIdType>(i + 1) * cols + j);
    }
  }
  auto mesh = vtkSmartPointer<vtkPolyData>::New();
  mesh->SetPoints(points);
  mesh->SetStrips(strips);
  mesh->GetPointData()->SetScalars(colors);
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(mesh);
  mapper->SetColorModeToDirectScalars();
  surface_ = vtkSmartPointer<vtkActor>::New();
  surface_->SetMapper(mapper);
  surface_->GetProperty()->SetAmbient(0.6);
  surface_->GetProperty()->SetDiffuse(0.4);
  renderer()->AddActor(surface_);
  update();
}

}  // namespace ui
