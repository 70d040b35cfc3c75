#include "vtk/SphereView.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkLookupTable.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkTextProperty.h>
#include <vtkTexture.h>
#include <vtkUnsignedCharArray.h>

#include <QFutureWatcher>
#include <QGuiApplication>
#include <QJsonArray>
#include <QMouseEvent>
#include <QThreadPool>
#include <algorithm>
#include <cmath>
#include <numbers>

#include "jobs/PoolRun.h"
#include "render/Colormap.h"
#include "sky/Mollweide.h"
#include "state/DisplayUnit.h"
#include "views/SelectionOutline.h"
#include "vtk/VtkFont.h"

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
      lines->InsertCellPoint(points->InsertNextPoint(r * std::sin(theta) * std::cos(phi),
                                                     r * std::sin(theta) * std::sin(phi), r * std::cos(theta)));
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
  // Opaque grey rather than translucent black: a translucent actor costs VTK a second
  // (translucent) render pass, about 5 ms a frame under llvmpipe.
  actor->GetProperty()->SetColor(0.35, 0.35, 0.35);
  return actor;
}

}  // namespace

SphereView::SphereView(SkySession* session, QWidget* parent) : VtkOpenGLWidget(parent), session_(session) {
  renderer()->SetBackground(1.0, 1.0, 1.0);
  renderer()->AddActor(graticule());
  connect(session_, &SkySession::currentChanged, this, [this] { rebuild(); });
  connect(session_, &SkySession::layersChanged, this, [this] { rebuild(); });
  connect(session_, &SkySession::selectionChanged, this, [this] { rebuild(); });
  connect(session_, &SkySession::displayedMapsChanged, this, [this] { rebuild(); });
  connect(session_, &SkySession::selectionMasksReady, this, [this] { rebuild(); });
  colorBar_ = vtkSmartPointer<vtkScalarBarActor>::New();
  colorBar_->SetOrientationToHorizontal();
  colorBar_->SetPosition(0.25, 0.02);
  colorBar_->SetWidth(0.5);
  colorBar_->SetHeight(0.09);
  colorBar_->SetNumberOfLabels(2);            // the ends, as the Mollweide colour bar: the title keeps the middle
  colorBar_->SetUnconstrainedFontSize(true);  // the application's font size, not one scaled to the bar
  for (vtkTextProperty* text : {colorBar_->GetLabelTextProperty(), colorBar_->GetTitleTextProperty()}) {
    text->SetColor(0, 0, 0);
    useApplicationFont(text);
  }
  connect(this, &VtkOpenGLWidget::clicked, this, [this](QPointF p) {
    const Layer* l = session_->layer(session_->currentIndex());
    if (!l || !l->map) return;
    const auto d = directionAt(p);
    emit pixelPicked(d ? sky::ringPixelAt(l->map->nside(), *d) : -1);
  });
  buildSurface();
  resetCamera();
  rebuild();  // the session may already hold layers
}

std::optional<sky::SkyDirection> SphereView::directionAt(QPointF position) const {
  const double dpr = devicePixelRatioF();
  const double x = position.x() * dpr, y = (height() - position.y()) * dpr;  // VTK display: origin bottom-left
  double nearPoint[4], farPoint[4];
  renderer()->SetDisplayPoint(x, y, 0.0);
  renderer()->DisplayToWorld();
  renderer()->GetWorldPoint(nearPoint);
  renderer()->SetDisplayPoint(x, y, 1.0);
  renderer()->DisplayToWorld();
  renderer()->GetWorldPoint(farPoint);
  double o[3], d[3];
  for (int k = 0; k < 3; ++k) {
    o[k] = nearPoint[k] / nearPoint[3];
    d[k] = farPoint[k] / farPoint[3] - o[k];
  }
  // |o + t d| = 1: the nearer root is the visible (outside) face.
  const double a = d[0] * d[0] + d[1] * d[1] + d[2] * d[2], b = 2 * (o[0] * d[0] + o[1] * d[1] + o[2] * d[2]),
               c = o[0] * o[0] + o[1] * o[1] + o[2] * o[2] - 1.0;
  const double disc = b * b - 4 * a * c;
  if (a <= 0 || disc < 0) return std::nullopt;
  const double t = (-b - std::sqrt(disc)) / (2 * a);
  const double px = o[0] + t * d[0], py = o[1] + t * d[1], pz = o[2] + t * d[2];
  double phi = std::atan2(py, px);
  if (phi < 0) phi += 2 * kPi;
  return sky::SkyDirection{std::acos(std::clamp(pz, -1.0, 1.0)), phi};
}

void SphereView::resetCamera() {
  vtkCamera* camera = renderer()->GetActiveCamera();
  camera->SetFocalPoint(0, 0, 0);
  camera->SetPosition(4.9, 0, 0.7);  // looking at (l, b) = (0, 0) from outside, room for the colour bar
  camera->SetViewUp(0, 0, 1);
  update();
}

void SphereView::showEvent(QShowEvent* e) {
  VtkOpenGLWidget::showEvent(e);
  if (stale_) rebuild();
}

// The coarse mesh the texture is draped on; the same for every layer.
void SphereView::buildSurface() {
  rows_ = 129;
  const int cols = 257;
  auto points = vtkSmartPointer<vtkPoints>::New();
  auto tcoords = vtkSmartPointer<vtkFloatArray>::New();
  tcoords->SetNumberOfComponents(2);
  for (int i = 0; i < rows_; ++i) {
    const double theta = kPi * i / (rows_ - 1.0);
    for (int j = 0; j < cols; ++j) {
      const double phi = 2 * kPi * j / (cols - 1.0);
      points->InsertNextPoint(std::sin(theta) * std::cos(phi), std::sin(theta) * std::sin(phi), std::cos(theta));
      const float uv[2] = {static_cast<float>(j / (cols - 1.0)), static_cast<float>(1.0 - i / (rows_ - 1.0))};
      tcoords->InsertNextTypedTuple(uv);
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
  mesh->GetPointData()->SetTCoords(tcoords);
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(mesh);
  surface_ = vtkSmartPointer<vtkActor>::New();
  surface_->SetMapper(mapper);
  surface_->GetProperty()->LightingOff();  // the colours are data: no shading (and a cheaper shader)
}

namespace {

// The map as an RGB longitude x colatitude texture (row 0 at the south pole): 8 texels per
// nside, at most 4096 wide. Runs on a worker: every input is an immutable copy or shared_ptr.
// Rows are skipped once `generation` is no longer the latest (the result is then dropped).
std::vector<unsigned char> sphereTexture(const sky::SkyMap& shown, const sky::SkyMask* selected,
                                         const sky::ColorScale& scale, const sky::Colormap& cmap, int width, int height,
                                         const std::atomic<int>& latest, int generation) {
  std::vector<unsigned char> rgb(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
  const auto values = shown.field(0);
#pragma omp parallel for schedule(static)
  for (int y = 0; y < height; ++y) {
    if (latest.load(std::memory_order_relaxed) != generation) continue;
    const double theta = kPi * (1.0 - (y + 0.5) / height);
    for (int x = 0; x < width; ++x) {
      const double phi = 2 * kPi * (x + 0.5) / width;
      const auto p = static_cast<size_t>(sky::ringPixelAt(shown.nside(), {theta, phi}));
      const double v = values[p];
      uint32_t c = sky::isMasked(v) ? sky::kMaskedColor : cmap.color(scale.normalise(v));
      if (selected && !selected->inside[p]) c = dimmedColor(c);
      unsigned char* t = rgb.data() + 3 * (static_cast<size_t>(y) * width + x);
      for (int k = 0; k < 3; ++k) t[k] = static_cast<unsigned char>((c >> (16 - 8 * k)) & 0xFF);
    }
  }
  return rgb;
}

}  // namespace

void SphereView::rebuild() {
  const Layer* l = session_->layer(session_->currentIndex());
  latest_->store(++generation_);  // a texture still being made is no longer wanted
  if (!l || !l->map) {
    renderer()->RemoveActor(surface_);
    renderer()->RemoveActor2D(colorBar_);
    stale_ = false;
    update();
    return;
  }
  if (!isVisible()) {
    stale_ = true;  // made when the view is shown
    return;
  }
  stale_ = false;
  const int texWidth = std::min(8 * l->map->nside(), 4096), texHeight = texWidth / 2;
  const auto shown = session_->displayedMap(*l);
  const auto selected = session_->selectionMaskIfReady(shown->nside());  // drawn again when made
  const sky::ColorScale scale = session_->colorScaleOf(*l);
  const sky::Colormap cmap = sky::Colormap::named(l->colormap.toStdString());
  const int generation = generation_;
  latest_->store(generation);
  ++pending_;
  auto* watcher = new QFutureWatcher<void>(this);
  const auto job =
      runOnPool(computePool(), [shown, selected, scale, cmap, texWidth, texHeight, latest = latest_, generation] {
        return sphereTexture(*shown, selected.get(), scale, cmap, texWidth, texHeight, *latest, generation);
      });
  connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, job, generation, texWidth, texHeight] {
    watcher->deleteLater();
    --pending_;
    std::vector<unsigned char> rgb;
    try {
      rgb = job.take();
    } catch (const std::exception&) {
      return;  // e.g. out of memory: the sphere keeps its last texture
    }
    if (generation == generation_) showTexture(rgb, texWidth, texHeight);  // else a newer one is coming
    emit textureReady();
  });
  watcher->setFuture(job.future);
  // The colour bar: our colour map sampled into a VTK lookup table over the same range.
  auto table = vtkSmartPointer<vtkLookupTable>::New();
  table->SetNumberOfTableValues(256);
  const DisplayUnit unit = displayUnitOf(*l);  // K_CMB maps read in uK
  table->SetRange(unit.toDisplay(scale).min, unit.toDisplay(scale).max);
  for (int k = 0; k < 256; ++k) {
    const uint32_t c = cmap.color(k / 255.0);
    table->SetTableValue(k, ((c >> 16) & 0xFF) / 255.0, ((c >> 8) & 0xFF) / 255.0, (c & 0xFF) / 255.0, 1.0);
  }
  colorBar_->SetLookupTable(table);
  colorBar_->SetTitle(unit.label.toUtf8().constData());
}

void SphereView::showTexture(const std::vector<unsigned char>& rgb, int width, int height) {
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetDimensions(width, height, 1);
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 3);
  std::copy(rgb.begin(), rgb.end(), static_cast<unsigned char*>(image->GetScalarPointer()));
  auto texture = vtkSmartPointer<vtkTexture>::New();
  texture->SetInputData(image);
  texture->InterpolateOff();  // HEALPix pixels stay crisp
  surface_->SetTexture(texture);
  renderer()->RemoveActor(surface_);
  renderer()->AddActor(surface_);
  renderer()->RemoveActor2D(colorBar_);
  renderer()->AddActor2D(colorBar_);
  update();
}

void SphereView::showCapOutline(const sky::SkyDirection& c, double radius) {
  if (capOutline_) renderer()->RemoveActor(capOutline_);
  // The small circle at angular distance `radius` from the centre, just above the surface.
  const double cx[3] = {std::sin(c.theta) * std::cos(c.phi), std::sin(c.theta) * std::sin(c.phi), std::cos(c.theta)};
  double u[3] = {-std::sin(c.phi), std::cos(c.phi), 0.0};  // east
  const double v[3] = {cx[1] * u[2] - cx[2] * u[1], cx[2] * u[0] - cx[0] * u[2], cx[0] * u[1] - cx[1] * u[0]};
  auto points = vtkSmartPointer<vtkPoints>::New();
  auto lines = vtkSmartPointer<vtkCellArray>::New();
  const int n = 181;
  lines->InsertNextCell(n);
  for (int k = 0; k < n; ++k) {
    const double a = 2 * kPi * k / (n - 1.0);
    double p[3];
    for (int i = 0; i < 3; ++i)
      p[i] = 1.004 * (std::cos(radius) * cx[i] + std::sin(radius) * (std::cos(a) * u[i] + std::sin(a) * v[i]));
    lines->InsertCellPoint(points->InsertNextPoint(p));
  }
  auto circle = vtkSmartPointer<vtkPolyData>::New();
  circle->SetPoints(points);
  circle->SetLines(lines);
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputData(circle);
  capOutline_ = vtkSmartPointer<vtkActor>::New();
  capOutline_->SetMapper(mapper);
  capOutline_->GetProperty()->SetColor(1.0, 0.78, 0.0);
  capOutline_->GetProperty()->SetLineWidth(2.0);
  renderer()->AddActor(capOutline_);
  update();
}

void SphereView::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && session_->tool() != SelectionTool::Navigate) {
    capCentre_ = directionAt(e->position());  // off the sphere: no cap, and no rotation either
    capRadius_ = 0.0;
    return;
  }
  VtkOpenGLWidget::mousePressEvent(e);
}

void SphereView::mouseMoveEvent(QMouseEvent* e) {
  if (session_->tool() != SelectionTool::Navigate && (e->buttons() & Qt::LeftButton)) {
    if (!capCentre_) return;
    if (const auto edge = directionAt(e->position())) {
      capRadius_ = sky::angularDistance(*capCentre_, *edge);
      showCapOutline(*capCentre_, capRadius_);
    }
    return;
  }
  VtkOpenGLWidget::mouseMoveEvent(e);
}

void SphereView::mouseReleaseEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton && session_->tool() != SelectionTool::Navigate) {
    if (capOutline_) renderer()->RemoveActor(capOutline_);
    capOutline_ = nullptr;
    if (capCentre_ && capRadius_ > 0) session_->addRegion(sky::DiscRegion{*capCentre_, capRadius_});
    capCentre_.reset();
    update();
    return;
  }
  VtkOpenGLWidget::mouseReleaseEvent(e);
}

ViewSpec SphereView::viewSpec() {
  ViewSpec s;
  s.id = "sphere";
  s.title = QT_TRANSLATE_NOOP("ui::ViewRegistry", "Sphere");
  s.unavailable = "the sphere needs an OpenGL display (on a headless machine: xvfb-run -a skyinterpret ...)";
  // QOpenGLWidget needs a real GL platform (the offscreen one cannot host it).
  s.create = [](const ViewHost& host, QWidget* parent) -> QWidget* {
    if (QGuiApplication::platformName() == "offscreen") return nullptr;
    return new SphereView(host.session, parent);
  };
  // The rendered frame (VTK draws the colour bar in it), fitted into the figure with a title.
  s.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double) {
    auto* view = static_cast<SphereView*>(v);
    p.fillRect(r, Qt::white);
    const QImage frame = view->grabFramebuffer();
    const QSize fitted = frame.size().scaled(r.size() - QSize(0, 30), Qt::KeepAspectRatio);
    p.drawImage(QRect(QPoint(r.left() + (r.width() - fitted.width()) / 2, r.top() + 28), fitted), frame);
    if (const Layer* l = view->session_->layer(view->session_->currentIndex())) {
      QFont bold = p.font();
      bold.setBold(true);
      p.setFont(bold);
      p.setPen(Qt::black);
      p.drawText(QRect(r.left(), r.top() + 4, r.width(), 20), Qt::AlignCenter, l->name);
    }
  };
  s.computing = [](const QWidget* v) { return static_cast<const SphereView*>(v)->computing(); };
  s.saveState = [](const QWidget* v) {
    vtkCamera* c = static_cast<const SphereView*>(v)->renderer()->GetActiveCamera();
    double p[3], f[3], u[3];
    c->GetPosition(p);
    c->GetFocalPoint(f);
    c->GetViewUp(u);
    return QJsonObject{{"position", QJsonArray{p[0], p[1], p[2]}},
                       {"focal_point", QJsonArray{f[0], f[1], f[2]}},
                       {"view_up", QJsonArray{u[0], u[1], u[2]}}};
  };
  s.restoreState = [](QWidget* v, const QJsonObject& o, const LayerIndexMap&) {
    if (!o.contains("position")) return;
    const auto vec = [&](const char* key, double out[3]) {
      const QJsonArray a = o.value(key).toArray();
      for (int k = 0; k < 3; ++k) out[k] = a.at(k).toDouble();
    };
    double p[3], f[3], u[3];
    vec("position", p);
    vec("focal_point", f);
    vec("view_up", u);
    auto* view = static_cast<SphereView*>(v);
    vtkCamera* camera = view->renderer()->GetActiveCamera();
    camera->SetPosition(p);
    camera->SetFocalPoint(f);
    camera->SetViewUp(u);
    view->update();
  };
  s.formerKeys = {"sphere_camera"};
  return s;
}

}  // namespace ui
