#include "views/GroupValuesView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

#include "jobs/AnalysisJobControl.h"
#include "model/Model.h"
#include "util/Error.h"
#include "views/ColorBar.h"
#include "views/SkyPlot.h"

namespace ui {

namespace {

// Bands up to the demo's l = 383 (3 nside - 1); the demo feature lies in l 40-59.
const QString kDefaultEdges = QStringLiteral("2,20,40,60,80,120,200,384");
constexpr int kBatch = 32;

}  // namespace

GroupValuesView::GroupValuesView(SkySession* session, ExplainJobs* jobs, QWidget* parent)
    : QWidget(parent), session_(session), jobs_(jobs) {
  setMinimumSize(300, 200);
  players_ = new QComboBox(this);
  const std::pair<const char*, const char*> kinds[] = {
      {"bands", "Scales: multipole bands (exact Shapley)"},
      {"channels", "Channels: T, Q, U (exact Shapley)"},
      {"regions", "Regions: 12 base pixels (exact Shapley)"},
      {"tree", "Sky pixels: Owen values on the HEALPix tree (a layer)"}};
  for (const auto& [key, label] : kinds) players_->addItem(tr(label), key);
  players_->setToolTip(
      tr("The players of the current map: every coalition of up to 16 groups is evaluated, so the "
         "values are exact and add up to f(map) - f(no group)"));
  edges_ = new QLineEdit(kDefaultEdges, this);
  edges_->setToolTip(tr("Band edges L0,L1,...: band b is [Lb, Lb+1); the rest of the map is always present"));
  treeNside_ = new QSpinBox(this);
  treeNside_->setRange(1, 64);
  treeNside_->setValue(8);
  treeNside_->setPrefix(tr("tree nside "));
  treeNside_->setToolTip(tr("Owen values: the HEALPix nside of the sky pixels (powers of two)"));
  maxEvals_ = new QSpinBox(this);
  maxEvals_->setRange(3, 10000000);
  maxEvals_->setValue(2000);
  maxEvals_->setPrefix(tr("rows "));
  maxEvals_->setToolTip(tr("Owen values: model evaluations (shap's max_evals); more = finer detail"));
  output_ = new QSpinBox(this);
  output_->setRange(0, 0);
  output_->setPrefix(tr("output "));
  control_ = new AnalysisJobControl(
      jobs_, tr("choose the players and Run on the current map; click a bar to see it on the sky"), this);
  status_ = control_->status();
  QPushButton *runButton = control_->runButton(), *cancelButton = control_->cancelButton();
  auto* top = new QHBoxLayout;
  top->addWidget(players_, 1);
  top->addWidget(runButton);
  top->addWidget(cancelButton);
  auto* options = new QHBoxLayout;
  options->addWidget(new QLabel(tr("band edges"), this));
  options->addWidget(edges_, 1);
  for (QWidget* w : std::initializer_list<QWidget*>{treeNside_, maxEvals_, output_}) options->addWidget(w);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addLayout(options);
  layout->addWidget(status_);
  plot_ = new SkyPlot(this);
  title_ = plot_->addTitleRow();
  plot_->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);  // the two colours side by side
  layout->addWidget(plot_, 1);
  const auto enableOptions = [this] {
    const QString k = players_->currentData().toString();
    edges_->setEnabled(k == "bands");
    treeNside_->setEnabled(k == "tree");
    maxEvals_->setEnabled(k == "tree");
  };
  enableOptions();
  connect(players_, &QComboBox::currentIndexChanged, this, enableOptions);
  connect(output_, &QSpinBox::valueChanged, this, [this] { rebuildPlot(); });
  connect(plot_, &QCustomPlot::mousePress, this, &GroupValuesView::clicked);
  connect(runButton, &QPushButton::clicked, this, [this] { run(players_->currentData().toString()); });
  connect(control_, &AnalysisJobControl::finished, this, [this](const AnalysisResult& r) { show(r); });
}

void GroupValuesView::setBandEdges(const QString& edges) { edges_->setText(edges); }
void GroupValuesView::setTree(int nside, int maxEvals) {
  treeNside_->setValue(nside);
  maxEvals_->setValue(maxEvals);
}
void GroupValuesView::setOutput(int output) { output_->setValue(output); }

int GroupValuesView::run(const QString& players) {
  try {
    auto model = session_->model();
    if (!model) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "open a model first (File > Open model)");
    const int source = session_->sourceMapOf(session_->currentIndex());
    const Layer* sky = session_->layer(source);
    if (!sky || sky->kind != Layer::Kind::Map || !sky->map)
      throw sky::SkyError(sky::ErrorKind::InvalidArgument, "select a map (or an attribution of one) first");
    const auto map = sky->inputMap ? sky->inputMap : sky->map;
    const sky::ModelCard card = model->card();
    const std::string name = sky->name.toStdString();
    AnalysisTask task;
    if (players == "channels") {
      const auto input = session_->modelInputFor(source);
      if (!input) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "the map has no model input");
      task = [model, input, players](sky::Progress& p) {
        AnalysisResult r;
        r.kind = players;
        r.groups = sky::channelShapley(*model, sky::batchOf(*input), 0.0, kBatch, p);
        return r;
      };
    } else if (players == "bands" || players == "regions") {
      if (!card.hasInputShape())
        throw sky::SkyError(sky::ErrorKind::InvalidArgument, "the model card gives no input shape");
      const sky::GroupSpec spec = sky::GroupSpec::parse(
          players == "bands" ? "lbands:" + edges_->text().remove(' ').toStdString() : "regions:1");
      task = [model, map, card, spec, name, players](sky::Progress& p) {
        AnalysisResult r;
        r.kind = players;
        r.groups = sky::mapGroupShapley(*model, *map, card, spec, name, kBatch, p);
        return r;
      };
    } else if (players == "tree") {
      sky::HealpixPartitionOptions o;
      o.treeNside = treeNside_->value();
      o.maxEvals = maxEvals_->value();
      o.batchSize = kBatch;
      if (!sky::isValidNside(o.treeNside))
        throw sky::SkyError(sky::ErrorKind::InvalidArgument,
                            "tree nside " + std::to_string(o.treeNside) + " is not a power of two");
      task = [model, map, card, o, name, players](sky::Progress& p) {
        AnalysisResult r;
        r.kind = players;
        r.sphere = sky::explainPartitionHealpix(*model, *map, card, o, name, p);
        return r;
      };
    } else {
      throw sky::SkyError(sky::ErrorKind::InvalidArgument, "unknown players " + players.toStdString());
    }
    players_->setCurrentIndex(players_->findData(players));
    sourceLayer_ = source;
    return control_->submit(std::move(task));
  } catch (const sky::SkyError& e) {
    emit errorReported(QString::fromStdString(e.what()));
    return -1;
  }
}

void GroupValuesView::show(const AnalysisResult& r) {
  if (r.sphere) {
    const sky::SphereAttribution& a = *r.sphere;
    const size_t m = static_cast<size_t>(12LL * a.nside * a.nside);
    const size_t k = std::min<size_t>(static_cast<size_t>(output_->value()), a.targetIndex.size() - 1);
    Layer l;
    const std::string output = a.outputNames[static_cast<size_t>(a.targetIndex[k])];
    l.name = tr("Owen values on the HEALPix tree (nside %1, %2)").arg(a.nside).arg(QString::fromStdString(output));
    l.map = std::make_shared<const sky::SkyMap>(a.nside, sky::Ordering::Ring,
                                                std::vector<std::vector<double>>{std::vector<double>(
                                                    a.values.begin() + static_cast<std::ptrdiff_t>(k * m),
                                                    a.values.begin() + static_cast<std::ptrdiff_t>((k + 1) * m))},
                                                std::vector<std::string>{"OWEN"});
    l.colormap = "rdbu_r";
    l.symmetric = true;
    l.method = "partition-healpix";
    l.sourceLayer = sourceLayer_;
    l.parameters = {{"tree_nside", a.nside}, {"model_rows", static_cast<qlonglong>(a.modelRowsEvaluated)}};
    session_->addLayer(std::move(l));
    status_->setText(tr("Owen values of %1 sky pixels from %2 model rows in %3 s; they add up to f(map) - f(no "
                        "pixel) = %4")
                         .arg(m)
                         .arg(a.modelRowsEvaluated)
                         .arg(a.seconds, 0, 'f', 1)
                         .arg(formatValue(a.outputs[k] - a.baseValues[k])));
    emit resultShown();
    return;
  }
  if (!r.groups) return;
  values_ = *r.groups;
  output_->setRange(0, std::max(0, values_->outputs - 1));
  rebuildPlot();
  const int k = output_->value();
  status_->setText(
      tr("%1 groups, %2 model rows; the values add up to f(map) - f(no group) = %3; click a bar")
          .arg(values_->groups.size())
          .arg(values_->rowsEvaluated)
          .arg(formatValue(values_->full[static_cast<size_t>(k)] - values_->empty[static_cast<size_t>(k)])));
  emit resultShown();
}

void GroupValuesView::rebuildPlot() {
  plot_->clearAll();
  if (!values_) {
    title_->setText({});
    plot_->replot();
    return;
  }
  const sky::GroupShapley& v = *values_;
  const int k = std::min(output_->value(), v.outputs - 1);
  const size_t groups = v.groups.size();
  const bool bands = groups > 0 && v.groups[0].lmin >= 0, regions = groups > 0 && !v.groups[0].pixels.empty();
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  // Positive and negative values in two colours, as an attribution map's diverging scale.
  auto* up = new QCPBars(plot_->xAxis, plot_->yAxis);
  auto* down = new QCPBars(plot_->xAxis, plot_->yAxis);
  up->setBrush(QColor(200, 60, 40));
  up->setPen(QPen(QColor(200, 60, 40).darker(130)));
  down->setBrush(QColor(30, 90, 200));
  down->setPen(QPen(QColor(30, 90, 200).darker(130)));
  up->setName(tr("raises the output"));
  down->setName(tr("lowers the output"));
  double lo = 0, hi = 0;
  for (size_t g = 0; g < groups; ++g) {
    const double value = v.values[static_cast<size_t>(k) * groups + g];
    (value >= 0 ? up : down)->addData(static_cast<double>(g + 1), value);
    QString label = QString::fromStdString(v.groups[g].name);
    if (regions) label = QString::number(v.groups[g].pixels.front());
    ticker->addTick(static_cast<double>(g + 1), label);
    lo = std::min(lo, value);
    hi = std::max(hi, value);
  }
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setLabel(bands ? tr("multipole band") : regions ? tr("region (RING pixel at nside 1)") : tr("channel"));
  plot_->yAxis->setLabel(tr("Shapley value (model output)"));
  plot_->xAxis->setRange(0.4, static_cast<double>(groups) + 0.6);
  SkyPlot::fitAxis(plot_->yAxis, lo, hi);
  title_->setText(tr("Exact Shapley values of %1 (output %2)")
                      .arg(bands     ? tr("multipole bands")
                           : regions ? tr("sky regions")
                                     : tr("channels"))
                      .arg(k));
  plot_->replot();
}

void GroupValuesView::clicked(QMouseEvent* e) {
  if (!values_ || !plot_->axisRect()->rect().contains(e->position().toPoint())) return;
  activateBar(static_cast<int>(std::lround(plot_->xAxis->pixelToCoord(e->position().x()))) - 1);
}

void GroupValuesView::activateBar(int g) {
  if (!values_ || g < 0 || g >= static_cast<int>(values_->groups.size())) return;
  const sky::FeatureGroup& group = values_->groups[static_cast<size_t>(g)];
  if (group.lmin >= 0) {
    session_->setMultipoles(sky::MultipoleRange{group.lmin, group.lmax});
  } else if (!group.pixels.empty()) {
    auto inside = std::make_shared<std::vector<uint8_t>>(12, 0);
    (*inside)[static_cast<size_t>(group.pixels.front())] = 1;
    sky::Selection s =
        sky::Selection().combined(sky::SelectionMode::Replace, sky::PixelSetRegion{group.name, 1, std::move(inside)});
    s.name = group.name;
    session_->setSelection(s);
  } else {
    // A channel: show that field's layer of the same map.
    const Layer* source = session_->layer(sourceLayer_);
    const auto& layers = session_->layers();
    for (size_t i = 0; source && i < layers.size(); ++i)
      if (layers[i].kind == Layer::Kind::Map && layers[i].method.isEmpty() && layers[i].inputMap == source->inputMap &&
          layers[i].channel == g)
        session_->setCurrent(static_cast<int>(i));
  }
}

void GroupValuesView::paintFigure(QPainter& painter, const QRect& bounds) {
  rebuildPlot();
  plot_->paintFigure(painter, bounds);
}

ViewSpec GroupValuesView::viewSpec() {
  ViewSpec s;
  s.id = "groups";
  s.title = QT_TRANSLATE_NOOP("ui::ViewRegistry", "Scales, channels, regions");
  s.create = [](const ViewHost& host, QWidget* parent) -> QWidget* {
    return new GroupValuesView(host.session, host.jobs, parent);
  };
  s.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double) {
    static_cast<GroupValuesView*>(v)->paintFigure(p, r);
  };
  return s;
}

}  // namespace ui
