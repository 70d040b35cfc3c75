#include "vtk/VtkOpenGLWidget.h"

#include <vtkCallbackCommand.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkOpenGLState.h>
#include <vtkRenderer.h>

#include <QElapsedTimer>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QSurfaceFormat>
#include <QWheelEvent>

namespace ui {

void VtkOpenGLWidget::configureSurfaceFormat() {
  QSurfaceFormat f;
  f.setRenderableType(QSurfaceFormat::OpenGL);
  f.setVersion(3, 2);
  f.setProfile(QSurfaceFormat::CoreProfile);
  f.setSwapBehavior(QSurfaceFormat::DoubleBuffer);
  f.setRedBufferSize(8);
  f.setGreenBufferSize(8);
  f.setBlueBufferSize(8);
  f.setAlphaBufferSize(8);
  f.setDepthBufferSize(8);
  f.setStencilBufferSize(0);
  f.setSamples(0);
  QSurfaceFormat::setDefaultFormat(f);
}

VtkOpenGLWidget::VtkOpenGLWidget(QWidget* parent) : QOpenGLWidget(parent) {
  window_ = vtkSmartPointer<vtkGenericOpenGLRenderWindow>::New();
  window_->SetReadyForRendering(false);
  window_->SetFrameBlitModeToNoBlit();
  window_->SetMultiSamples(0);
  renderer_ = vtkSmartPointer<vtkRenderer>::New();
  window_->AddRenderer(renderer_);
  interactor_ = vtkSmartPointer<vtkGenericRenderWindowInteractor>::New();
  interactor_->SetRenderWindow(window_);
  interactor_->SetInteractorStyle(vtkSmartPointer<vtkInteractorStyleTrackballCamera>::New());
  interactor_->EnableRenderOff();  // Qt decides when to paint
  // VTK asks for the GL context through events: make only the *context* current (calling
  // QOpenGLWidget::makeCurrent() here would rebind Qt's FBO mid-render).
  auto makeCurrent = vtkSmartPointer<vtkCallbackCommand>::New();
  makeCurrent->SetClientData(this);
  makeCurrent->SetCallback([](vtkObject*, unsigned long, void* self, void*) {
    auto* w = static_cast<VtkOpenGLWidget*>(self);
    if (w->context()) w->context()->makeCurrent(w->context()->surface());
  });
  window_->AddObserver(vtkCommand::WindowMakeCurrentEvent, makeCurrent);
  auto isCurrent = vtkSmartPointer<vtkCallbackCommand>::New();
  isCurrent->SetClientData(this);
  isCurrent->SetCallback([](vtkObject*, unsigned long, void* self, void* callData) {
    auto* w = static_cast<VtkOpenGLWidget*>(self);
    *static_cast<bool*>(callData) = w->context() && QOpenGLContext::currentContext() == w->context();
  });
  window_->AddObserver(vtkCommand::WindowIsCurrentEvent, isCurrent);
  auto frame = vtkSmartPointer<vtkCallbackCommand>::New();
  frame->SetClientData(this);
  frame->SetCallback([](vtkObject*, unsigned long, void* self, void*) {
    auto* w = static_cast<VtkOpenGLWidget*>(self);
    if (!w->insidePaint_) w->update();
  });
  window_->AddObserver(vtkCommand::WindowFrameEvent, frame);
  setMouseTracking(false);
}

VtkOpenGLWidget::~VtkOpenGLWidget() {
  makeCurrent();
  window_->Finalize();
  doneCurrent();
}

vtkRenderer* VtkOpenGLWidget::renderer() const { return renderer_; }
vtkGenericOpenGLRenderWindow* VtkOpenGLWidget::renderWindow() const { return window_; }

void VtkOpenGLWidget::initializeGL() {
  window_->GetState()->Reset();
  window_->SetReadyForRendering(true);
  window_->SetOwnContext(0);
  window_->SetMapped(1);
  window_->OpenGLInitContext();
  resizeGL(width(), height());
}

void VtkOpenGLWidget::resizeGL(int w, int h) {
  const double dpr = devicePixelRatioF();
  window_->SetSize(static_cast<int>(w * dpr), static_cast<int>(h * dpr));
  interactor_->SetSize(static_cast<int>(w * dpr), static_cast<int>(h * dpr));
}

void VtkOpenGLWidget::paintGL() {
  QElapsedTimer timer;
  timer.start();
  insidePaint_ = true;
  window_->GetState()->Reset();
  window_->Render();  // into VTK's own framebuffer
  // Then blit VTK's display buffer into Qt's framebuffer (VTK 9.1 has no SetDefaultFrameBufferId).
  window_->GetState()->PushDrawFramebufferBinding();
  window_->GetState()->vtkglBindFramebuffer(0x8CA9 /* GL_DRAW_FRAMEBUFFER */, defaultFramebufferObject());
  const int* size = window_->GetSize();
  window_->BlitDisplayFramebuffer(0, 0, 0, size[0], size[1], 0, 0, size[0], size[1], 0x4000 /* GL_COLOR_BUFFER_BIT */,
                                  0x2600 /* GL_NEAREST */);
  window_->GetState()->PopDrawFramebufferBinding();
  insidePaint_ = false;
  lastFrameMs_ = static_cast<double>(timer.nsecsElapsed()) / 1e6;
}

void VtkOpenGLWidget::forwardMouse(QMouseEvent* e, unsigned long event) {
  const double dpr = devicePixelRatioF();
  interactor_->SetEventInformationFlipY(
      static_cast<int>(e->position().x() * dpr), static_cast<int>(e->position().y() * dpr),
      (e->modifiers() & Qt::ControlModifier) ? 1 : 0, (e->modifiers() & Qt::ShiftModifier) ? 1 : 0);
  interactor_->InvokeEvent(event, e);
  update();
}

void VtkOpenGLWidget::mousePressEvent(QMouseEvent* e) {
  pressPosition_ = e->position();
  forwardMouse(e,
               e->button() == Qt::RightButton ? vtkCommand::RightButtonPressEvent : vtkCommand::LeftButtonPressEvent);
}
void VtkOpenGLWidget::mouseMoveEvent(QMouseEvent* e) { forwardMouse(e, vtkCommand::MouseMoveEvent); }
void VtkOpenGLWidget::mouseReleaseEvent(QMouseEvent* e) {
  forwardMouse(
      e, e->button() == Qt::RightButton ? vtkCommand::RightButtonReleaseEvent : vtkCommand::LeftButtonReleaseEvent);
  if (e->button() == Qt::LeftButton && (e->position() - pressPosition_).manhattanLength() < 4)
    emit clicked(e->position());
}
void VtkOpenGLWidget::wheelEvent(QWheelEvent* e) {
  interactor_->InvokeEvent(
      e->angleDelta().y() > 0 ? vtkCommand::MouseWheelForwardEvent : vtkCommand::MouseWheelBackwardEvent, e);
  update();
}

}  // namespace ui
