#pragma once
// VTK draws text with its own built-in Arial, bold, italic and shadowed by default; this gives
// its text the application's font instead, so the sphere's colour bar reads like every other view.
class vtkTextProperty;

namespace ui {

// Family, size and style of the application font (VTK text actors must not rescale it:
// vtkScalarBarActor needs SetUnconstrainedFontSize(true)).
void useApplicationFont(vtkTextProperty* text);

}  // namespace ui
