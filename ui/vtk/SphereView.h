#pragma once
// The current layer on a 3D sphere (seen from outside, z = north) as a longitude-colatitude
// texture on a coarse mesh, with a graticule and colour bar; drag rotates, wheel zooms, a click
// picks the pixel under the cursor (for the status-bar readout). With a selection tool, a drag
// draws a spherical cap (centre at the press) into the shared selection; pixels outside the
// selection are dimmed. The texture (up to 4096x2048 look-ups) is made on the thread pool, and
// only while the view is shown; the newest request wins.
#include <atomic>
#include <memory>
#include <optional>

#include "sky/Mollweide.h"
#include "state/SkySession.h"
#include "views/ViewRegistry.h"
#include "vtk/VtkOpenGLWidget.h"

class vtkActor;
class vtkScalarBarActor;

namespace ui {

class SphereView : public VtkOpenGLWidget {
  Q_OBJECT
 public:
  // Its entry in the view registry (views/ViewRegistry.h): id, title, figure, session state.
  static ViewSpec viewSpec();
  explicit SphereView(SkySession* session, QWidget* parent = nullptr);
  void resetCamera();
  int meshRows() const { return rows_; }
  // True while a texture is being made (tests and scripted figures wait for it).
  bool computing() const { return pending_ > 0; }
  // The sky direction under a widget position (ray from the camera to the unit sphere).
  std::optional<sky::SkyDirection> directionAt(QPointF position) const;

 signals:
  void pixelPicked(qint64 ringPixel);
  void textureReady();

 protected:
  void showEvent(QShowEvent*) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;

 private:
  void rebuild();
  void buildSurface();
  void showTexture(const std::vector<unsigned char>& rgb, int width, int height);
  int generation_ = 0, pending_ = 0;
  std::shared_ptr<std::atomic<int>> latest_ = std::make_shared<std::atomic<int>>(0);  // generation_, for workers
  bool stale_ = true;  // the layer changed while the view was hidden
  void showCapOutline(const sky::SkyDirection& centre, double radius);
  std::optional<sky::SkyDirection> capCentre_;
  double capRadius_ = 0.0;
  vtkSmartPointer<vtkActor> capOutline_;
  SkySession* session_;
  vtkSmartPointer<vtkActor> surface_;
  vtkSmartPointer<vtkScalarBarActor> colorBar_;
  int rows_ = 0;
};

}  // namespace ui
