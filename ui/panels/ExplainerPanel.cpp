#include "panels/ExplainerPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <climits>

#include "explain/ExplainerRegistry.h"

namespace ui {

namespace {

// One editor for one registry parameter, showing its default.
QWidget* editorFor(const sky::ExplainerParameter& p, QWidget* parent) {
  const QString value = QString::fromStdString(p.defaultValue);
  QWidget* w = nullptr;
  switch (p.kind) {
    case sky::ParameterKind::Integer: {
      auto* s = new QSpinBox(parent);
      s->setRange(static_cast<int>(std::max<double>(p.min, INT_MIN)),
                  static_cast<int>(std::min<double>(p.max, INT_MAX)));
      s->setValue(value.toInt());
      w = s;
      break;
    }
    case sky::ParameterKind::Choice: {
      auto* c = new QComboBox(parent);
      for (const auto& choice : p.choices) c->addItem(QString::fromStdString(choice));
      c->setCurrentText(value);
      w = c;
      break;
    }
    case sky::ParameterKind::Flag: {
      auto* b = new QCheckBox(parent);
      b->setChecked(value == "true");
      w = b;
      break;
    }
    case sky::ParameterKind::Number:
    case sky::ParameterKind::Text:
      w = new QLineEdit(value, parent);
      break;
  }
  w->setToolTip(
      QString::fromStdString(p.help + (p.kind == sky::ParameterKind::Flag ? "" : " (default " + p.defaultValue + ")")));
  return w;
}

QString valueOf(const QWidget* w) {
  if (const auto* s = qobject_cast<const QSpinBox*>(w)) return QString::number(s->value());
  if (const auto* c = qobject_cast<const QComboBox*>(w)) return c->currentText();
  if (const auto* b = qobject_cast<const QCheckBox*>(w)) return b->isChecked() ? "true" : "false";
  if (const auto* e = qobject_cast<const QLineEdit*>(w)) return e->text().trimmed();
  return {};
}

void setValueOf(QWidget* w, const QString& value) {
  if (auto* s = qobject_cast<QSpinBox*>(w))
    s->setValue(value.toInt());
  else if (auto* c = qobject_cast<QComboBox*>(w))
    c->setCurrentText(value);
  else if (auto* b = qobject_cast<QCheckBox*>(w))
    b->setChecked(value == "true");
  else if (auto* e = qobject_cast<QLineEdit*>(w))
    e->setText(value);
}

}  // namespace

ExplainerPanel::ExplainerPanel(QWidget* parent) : QWidget(parent) {
  method_ = new QComboBox(this);
  pages_ = new QStackedWidget(this);
  QString tip;
  for (const auto& e : sky::explainers()) {
    const QString name = QString::fromStdString(e.name);
    method_->addItem(QString::fromStdString(e.label), name);
    tip += QString::fromStdString(e.label + ": " + e.summary + ".\n");
    auto* page = new QWidget(pages_);
    auto* form = new QFormLayout(page);
    form->setContentsMargins(0, 0, 0, 0);
    for (const auto& p : e.parameters) {
      QWidget* editor = editorFor(p, page);
      editor->setObjectName(QString("parameter/%1/%2").arg(name, QString::fromStdString(p.name)));
      form->addRow(QString::fromStdString(p.name), editor);
      widgets_[{name, QString::fromStdString(p.name)}] = editor;
    }
    pages_->addWidget(page);
  }
  method_->setToolTip(tip.trimmed());
  setMethod("integrated-gradients");
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  run_ = new QPushButton(tr("Run"), this);
  run_->setToolTip(tr("Explain the selected map with the loaded model (runs in the background; several runs queue)"));
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setEnabled(false);
  status_ = new QLabel(tr("idle"), this);
  status_->setWordWrap(true);
  auto* top = new QFormLayout;
  top->addRow(tr("method"), method_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(pages_);
  layout->addWidget(run_);
  layout->addWidget(cancel_);
  layout->addWidget(progress_);
  layout->addWidget(status_);
  layout->addStretch();
  connect(method_, &QComboBox::currentIndexChanged, pages_, &QStackedWidget::setCurrentIndex);
  connect(run_, &QPushButton::clicked, this, &ExplainerPanel::runRequested);
  connect(cancel_, &QPushButton::clicked, this, &ExplainerPanel::cancelRequested);
}

ExplainRequest ExplainerPanel::request() const {
  ExplainRequest r;
  r.method = method_->currentData().toString();
  for (const auto& [key, editor] : widgets_) {
    if (key.first == r.method) r.settings[key.second.toStdString()] = valueOf(editor).toStdString();
  }
  return r;
}

void ExplainerPanel::setMethod(const QString& method) {
  method_->setCurrentIndex(method_->findData(method));
  pages_->setCurrentIndex(method_->currentIndex());
}

void ExplainerPanel::setParameter(const QString& name, const QString& value) {
  if (QWidget* w = parameterWidget(method_->currentData().toString(), name)) setValueOf(w, value);
}

void ExplainerPanel::setOcclusion(int window, int stride) {
  setParameter("window", QString("%1x%1").arg(window));
  setParameter("stride", QString("%1x%1").arg(stride));
}

QWidget* ExplainerPanel::parameterWidget(const QString& method, const QString& parameter) const {
  const auto it = widgets_.find({method, parameter});
  return it == widgets_.end() ? nullptr : it->second;
}

void ExplainerPanel::showProgress(double fraction, qlonglong rows, qlonglong total, double eta) {
  cancel_->setEnabled(true);
  progress_->setValue(static_cast<int>(fraction * 1000));
  status_->setText(
      tr("%1 / %2 model rows%3").arg(rows).arg(total).arg(eta >= 0 ? tr(", ETA %1 s").arg(eta, 0, 'f', 1) : QString()));
}

void ExplainerPanel::showIdle(const QString& message, const QString& detail) {
  cancel_->setEnabled(false);
  progress_->setValue(0);
  status_->setText(message);
  status_->setToolTip(detail);
}

}  // namespace ui
