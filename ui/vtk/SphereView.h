#pragma once
// The current layer on a 3D sphere (seen from outside, z = north) as a longitude-colatitude
// texture on a coarse mesh, with a graticule; drag rotates, wheel zooms.
#include "state/SkySession.h"
#include "vtk/VtkOpenGLWidget.h"

class vtkActor;

namespace ui {

class SphereView : public VtkOpenGLWidget {
  Q_OBJECT
 public:
  explicit SphereView(SkySession* session, QWidget* parent = nullptr);
  void resetCamera();
  int meshRows() const { return rows_; }

 private:
  void rebuild();
  SkySession* session_;
  vtkSmartPointer<vtkActor> surface_;
  int rows_ = 0;
};

}  // namespace ui
