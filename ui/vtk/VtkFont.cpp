#include "vtk/VtkFont.h"

#include <fontconfig/fontconfig.h>
#include <vtkTextProperty.h>

#include <QApplication>
#include <QFontInfo>
#include <string>

namespace ui {

namespace {

// The font file fontconfig picks for the application font's family ("" when none): VTK loads
// fonts from files, Qt names them by family.
std::string applicationFontFile() {
  const QByteArray family = QFontInfo(QApplication::font()).family().toUtf8();
  FcPattern* pattern = FcNameParse(reinterpret_cast<const FcChar8*>(family.constData()));
  if (!pattern) return {};
  FcConfigSubstitute(nullptr, pattern, FcMatchPattern);
  FcDefaultSubstitute(pattern);
  FcResult result = FcResultNoMatch;
  FcPattern* match = FcFontMatch(nullptr, pattern, &result);
  std::string file;
  FcChar8* path = nullptr;
  if (match && FcPatternGetString(match, FC_FILE, 0, &path) == FcResultMatch)
    file = reinterpret_cast<const char*>(path);
  if (match) FcPatternDestroy(match);
  FcPatternDestroy(pattern);
  return file;
}

}  // namespace

void useApplicationFont(vtkTextProperty* text) {
  static const std::string file = applicationFontFile();
  text->SetBold(false);
  text->SetItalic(false);
  text->SetShadow(false);
  text->SetFontSize(QFontInfo(QApplication::font()).pixelSize());  // VTK's sizes are pixels
  if (!file.empty()) {
    text->SetFontFamily(VTK_FONT_FILE);
    text->SetFontFile(file.c_str());
  }
}

}  // namespace ui
