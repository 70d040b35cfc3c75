#pragma once
// VTK rendering inside a Qt 6 QOpenGLWidget (Debian's VTK Qt module is built for Qt 5, so we
// drive a vtkGenericOpenGLRenderWindow ourselves; recipe and pitfalls in docs/STACK-NOTES.md).
// Call configureSurfaceFormat() before the QApplication exists.
#include <vtkNew.h>
#include <vtkSmartPointer.h>

#include <QOpenGLWidget>

class vtkGenericOpenGLRenderWindow;
class vtkGenericRenderWindowInteractor;
class vtkRenderer;

namespace ui {

class VtkOpenGLWidget : public QOpenGLWidget {
  Q_OBJECT
 public:
  static void configureSurfaceFormat();
  explicit VtkOpenGLWidget(QWidget* parent = nullptr);
  ~VtkOpenGLWidget() override;
  vtkRenderer* renderer() const;
  vtkGenericOpenGLRenderWindow* renderWindow() const;
  double lastFrameMilliseconds() const { return lastFrameMs_; }

 signals:
  // A left click that did not drag (widget coordinates), for picking.
  void clicked(QPointF position);

 protected:
  void initializeGL() override;
  void paintGL() override;
  void resizeGL(int w, int h) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void mouseReleaseEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;

 private:
  void forwardMouse(QMouseEvent* e, unsigned long event);
  vtkSmartPointer<vtkGenericOpenGLRenderWindow> window_;
  vtkSmartPointer<vtkGenericRenderWindowInteractor> interactor_;
  vtkSmartPointer<vtkRenderer> renderer_;
  bool insidePaint_ = false;
  QPointF pressPosition_;
  double lastFrameMs_ = 0.0;
};

}  // namespace ui
