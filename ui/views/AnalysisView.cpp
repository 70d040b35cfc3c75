#include "views/AnalysisView.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

#include "explain/ExplainerRegistry.h"
#include "jobs/AnalysisJobControl.h"
#include "model/ModelInput.h"
#include "model/ModelRandomisation.h"
#include "sky/MapStatistics.h"
#include "util/Error.h"
#include "views/ColorBar.h"
#include "views/SkyPlot.h"

namespace ui {

namespace {

bool isScale(const QString& k) { return k == "lowpass" || k == "highpass" || k == "remove-band"; }
bool isSpot(const QString& k) { return k.startsWith("mask-") || k.startsWith("keep-"); }

// Default cuts: multipoles up to the demo's 3 nside - 1 = 383, and thresholds in sigma.
const QString kScaleGrid = QStringLiteral("10,20,30,40,50,60,80,100,150,200,300,383");
const QString kSpotGrid = QStringLiteral("0.5,1,1.5,2,2.5,3");

std::vector<double> parseGrid(const QString& text) {
  std::vector<double> out;
  for (const QString& part : text.split(',', Qt::SkipEmptyParts)) {
    bool ok = false;
    const double v = part.trimmed().toDouble(&ok);
    if (!ok)
      throw sky::SkyError(sky::ErrorKind::InvalidArgument, "'" + part.toStdString() + "' in the grid is not a number");
    out.push_back(v);
  }
  return out;
}

}  // namespace

AnalysisView::AnalysisView(SkySession* session, ExplainJobs* jobs, QWidget* parent)
    : QWidget(parent), session_(session), jobs_(jobs) {
  setMinimumSize(300, 200);
  kind_ = new QComboBox(this);
  const std::pair<const char*, const char*> kinds[] = {{"lowpass", "Scales: low-pass at l_max"},
                                                       {"highpass", "Scales: high-pass from l_min"},
                                                       {"remove-band", "Scales: remove a band of 10"},
                                                       {"mask-hot", "Spots: mask hot > k sigma"},
                                                       {"mask-cold", "Spots: mask cold < -k sigma"},
                                                       {"keep-hot", "Spots: keep only hot"},
                                                       {"keep-cold", "Spots: keep only cold"},
                                                       {"sensitivity-bands", "Sensitivity per l-band (width 10)"},
                                                       {"sensitivity-regions", "Sensitivity per sky region"},
                                                       {"faithfulness", "Faithfulness of the current attribution"},
                                                       {"metrics", "Trust metrics of the current attribution"},
                                                       {"sanity", "Sanity check: randomise layers, re-explain"}};
  for (const auto& [key, label] : kinds) kind_->addItem(tr(label), key);
  kind_->setToolTip(
      tr("Ablations and sensitivity run over every open map (labels of demo maps give AUC and accuracy)"));
  grid_ = new QLineEdit(kScaleGrid, this);
  grid_->setToolTip(tr("The cuts: multipoles for scales, k (sigma) for spots"));
  repeats_ = new QSpinBox(this);
  repeats_->setRange(1, 1000);
  repeats_->setValue(5);
  repeats_->setPrefix(tr("repeats "));
  repeats_->setToolTip(tr("Sensitivity: independent noise draws per band or region (noise rms: the map's own std)"));
  regionNside_ = new QSpinBox(this);
  regionNside_->setRange(1, 64);
  regionNside_->setValue(2);
  regionNside_->setPrefix(tr("region nside "));
  control_ = new AnalysisJobControl(jobs_, tr("choose an analysis and Run; click a point to see it on the sky"), this);
  status_ = control_->status();
  QPushButton *runButton = control_->runButton(), *cancelButton = control_->cancelButton();
  auto* bar = new QHBoxLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{kind_, grid_, repeats_, regionNside_, runButton, cancelButton})
    bar->addWidget(w);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(status_);
  plot_ = new SkyPlot(this);
  // The analysis named above the plot (and in figures), above the legend's row.
  title_ = plot_->addTitleRow();
  layout->addWidget(plot_, 1);
  connect(plot_, &QCustomPlot::mousePress, this, &AnalysisView::clicked);
  connect(kind_, &QComboBox::currentIndexChanged, this, [this] {
    const QString k = kind_->currentData().toString();
    grid_->setEnabled(isScale(k) || isSpot(k));
    if (isSpot(k) && grid_->text() == kScaleGrid) grid_->setText(kSpotGrid);
    if (isScale(k) && grid_->text() == kSpotGrid) grid_->setText(kScaleGrid);
  });
  connect(runButton, &QPushButton::clicked, this, [this] { run(kind_->currentData().toString()); });
  connect(control_, &AnalysisJobControl::finished, this, [this](const AnalysisResult& r) { show(r); });
}

void AnalysisView::setGrid(const QString& grid) { grid_->setText(grid); }
void AnalysisView::setRepeats(int repeats) { repeats_->setValue(repeats); }

int AnalysisView::run(const QString& kind) {
  try {
    auto model = session_->model();
    if (!model) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "open a model first (File > Open model)");
    // The open maps (one per file: their first field's layer keeps the whole map), with labels
    // when every one of them is a demo sky.
    auto maps = std::make_shared<std::vector<sky::SkyMap>>();
    auto labels = std::make_shared<std::vector<int>>();
    const auto demo = SkySession::demoSkies();
    bool allLabelled = true;
    for (const Layer& l : session_->layers()) {
      if (l.kind != Layer::Kind::Map || l.channel != 0 || !l.map || !l.method.isEmpty())
        continue;  // skies, not derived layers
      maps->push_back(l.inputMap ? *l.inputMap : *l.map);
      if (l.demoIndex >= 0)
        labels->push_back(demo[static_cast<size_t>(l.demoIndex)].label);
      else
        allLabelled = false;
    }
    if (!allLabelled) labels->clear();
    AnalysisTask task;
    if (isScale(kind)) {
      if (maps->empty()) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "open maps to ablate");
      sky::ScaleAblationOptions o;
      o.cut = sky::parseScaleCut(kind.toStdString());
      for (double v : parseGrid(grid_->text())) o.grid.push_back(static_cast<int>(std::lround(v)));
      task = [model, maps, labels, o, kind](sky::Progress& p) {
        AnalysisResult r;
        r.kind = kind;
        r.ablation = sky::scaleAblation(*model, *maps, *labels, o, p);
        return r;
      };
    } else if (isSpot(kind)) {
      if (maps->empty()) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "open maps to ablate");
      sky::SpotAblationOptions o;
      o.cut = sky::parseSpotCut(kind.toStdString());
      o.thresholds = parseGrid(grid_->text());
      task = [model, maps, labels, o, kind](sky::Progress& p) {
        AnalysisResult r;
        r.kind = kind;
        r.ablation = sky::spotAblation(*model, *maps, *labels, o, p);
        return r;
      };
    } else if (kind.startsWith("sensitivity")) {
      if (maps->empty()) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "open maps to perturb");
      sky::SensitivityOptions o;
      o.unit = kind == "sensitivity-bands" ? sky::SensitivityUnit::Bands : sky::SensitivityUnit::Regions;
      o.regionNside = regionNside_->value();
      o.repeats = repeats_->value();
      // Noise of the map's own standard deviation: a perturbation the size of the signal.
      const double sigma = sky::computeStatistics(maps->front().field(0)).std;
      o.amplitude = sigma > 0 ? sigma : 1.0;
      task = [model, maps, o, kind](sky::Progress& p) {
        AnalysisResult r;
        r.kind = kind;
        r.sensitivity = sky::sensitivity(*model, *maps, o, p);
        return r;
      };
    } else if (kind == "faithfulness") {
      const Layer* a = session_->attributionFor(session_->currentIndex());
      if (!a || !a->image)
        throw sky::SkyError(sky::ErrorKind::InvalidArgument, "select an attribution (or a map with one) first");
      auto input = session_->modelInputFor(a->sourceLayer);
      auto attribution = a->image;
      task = [model, input, attribution, kind](sky::Progress& p) {
        AnalysisResult r;
        r.kind = kind;
        r.faithfulness = sky::imageFaithfulness(*model, *input, *attribution, {}, p);
        return r;
      };
    } else if (kind == "metrics" || kind == "sanity") {
      const Layer* a = session_->attributionFor(session_->currentIndex());
      if (!a || !a->image)
        throw sky::SkyError(sky::ErrorKind::InvalidArgument, "select an attribution (or a map with one) first");
      auto input = session_->modelInputFor(a->sourceLayer);
      auto attribution = a->image;
      const ExplainRequest request = ExplainRequest::fromParameters(a->parameters);
      const std::string method = request.method.toStdString();
      const sky::ExplainerSettings settings = request.settings;
      const auto targetSetting = settings.find("target");
      const sky::TargetSelection targets =
          sky::TargetSelection::parse(targetSetting == settings.end() ? "0" : targetSetting->second);
      const int target = targets.kind == sky::TargetSelection::Kind::Indices ? targets.indices.front() : 0;
      if (kind == "metrics") {
        task = [model, input, attribution, method, settings, target, kind](sky::Progress& p) {
          AnalysisResult r;
          r.kind = kind;
          sky::TrustMetricOptions o;
          o.target = target;
          o.multiplyByInputs = sky::multipliesByInputs(method);
          AnalysisResult::Metrics m;
          m.multiplyByInputs = o.multiplyByInputs;
          m.infidelity = sky::infidelity(*model, *input, *attribution, o);
          m.road = sky::road(*model, *input, *attribution, o, p);
          m.sparseness = sky::giniSparseness(attribution->data());
          m.complexity = sky::entropyComplexity(attribution->data());
          m.sensitivityMax = sky::sensitivityMax(
              [&](const sky::Image& in) { return sky::explainImage(method, *model, in, settings, target); }, *input, o,
              p);
          r.metrics = m;
          return r;
        };
      } else {
        const std::string path = session_->modelPath().toStdString();
        if (path.empty()) throw sky::SkyError(sky::ErrorKind::InvalidArgument, "the model has no file to copy");
        sky::ModelLoadOptions load;
        load.exactModel = session_->exactModel();
        task = [model, path, load, input, method, settings, target, kind](sky::Progress& p) {
          AnalysisResult r;
          r.kind = kind;
          const std::vector<std::string> layers = sky::parameterisedLayers(path);
          r.sanity = sky::cascadingRandomisation(
              layers, *model, [&](int k) { return sky::loadRandomisedModel(path, k, 0, load); },
              [&](sky::Model& m, int t) { return sky::explainImage(method, m, *input, settings, t); }, target, 0.1, p);
          return r;
        };
      }
    } else {
      throw sky::SkyError(sky::ErrorKind::InvalidArgument, "unknown analysis " + kind.toStdString());
    }
    if (isSpot(kind)) {
      const Layer* shown = session_->layer(session_->sourceMapOf(session_->currentIndex()));
      spotMap_ = shown ? shown->map : nullptr;
    }
    kind_->setCurrentIndex(kind_->findData(kind));
    return control_->submit(std::move(task));
  } catch (const sky::SkyError& e) {
    emit errorReported(QString::fromStdString(e.what()));
    return -1;
  }
}

void AnalysisView::show(const AnalysisResult& r) {
  result_ = r;
  if (r.kind == "sensitivity-regions" && r.sensitivity) {
    Layer l;
    l.name = tr("sensitivity per region (nside %1)").arg(r.sensitivity->regionNside);
    l.map = std::make_shared<const sky::SkyMap>(sky::importanceMap(*r.sensitivity));
    l.colormap = "viridis";
    l.method = "sensitivity";
    l.parameters = {{"region_nside", r.sensitivity->regionNside}};
    session_->addLayer(std::move(l));
  }
  if (r.metrics) {
    const auto& m = *r.metrics;
    status_->setText(tr("infidelity %1%2, sensitivity-max %3, ROAD score %4 (LeRF - MoRF area), sparseness (Gini) "
                        "%5, complexity (entropy) %6")
                         .arg(formatValue(m.infidelity), m.multiplyByInputs ? tr(" (x inputs)") : QString(),
                              formatValue(m.sensitivityMax), formatValue(m.road.score), formatValue(m.sparseness),
                              formatValue(m.complexity)));
    rebuildPlot();
    emit resultShown();
    return;
  }
  if (r.sanity) {
    const auto& steps = *r.sanity;
    status_->setText(
        tr("Spearman %1 with the model unchanged, %2 with all %3 layers random (%4 last): a method "
           "that passes falls")
            .arg(formatValue(steps.front().similarity.spearman), formatValue(steps.back().similarity.spearman))
            .arg(steps.size() - 1)
            .arg(QString::fromStdString(steps.back().layer)));
    rebuildPlot();
    emit resultShown();
    return;
  }
  status_->setText(
      r.ablation ? tr("%1: baseline mean output %2, AUC %3; click a point to see it on the sky")
                       .arg(r.kind, formatValue(r.ablation->baseline.meanOutput), formatValue(r.ablation->baseline.auc))
                 : tr("%1 done; click a point to see it on the sky").arg(r.kind));
  rebuildPlot();
  emit resultShown();
}

std::vector<AnalysisView::Series> AnalysisView::series() const {
  std::vector<Series> out;
  if (!result_) return out;
  const AnalysisResult& r = *result_;
  if (r.ablation) {
    Series mean{tr("mean output"), {}, QColor(30, 90, 200)}, auc{tr("AUC"), {}, QColor(200, 60, 40)};
    for (const auto& p : r.ablation->points) {
      mean.points.push_back({p.cut, p.meanOutput});
      if (!std::isnan(p.auc)) auc.points.push_back({p.cut, p.auc});
    }
    out.push_back(mean);
    if (!auc.points.empty()) out.push_back(auc);
  } else if (r.sensitivity) {
    Series s{tr("mean |change of output|"), {}, QColor(30, 90, 200)};
    for (size_t k = 0; k < r.sensitivity->importance.size(); ++k) {
      const double x = r.sensitivity->lmin.empty() ? static_cast<double>(k)
                                                   : 0.5 * (r.sensitivity->lmin[k] + r.sensitivity->lmax[k]);
      s.points.push_back({x, r.sensitivity->importance[k]});
    }
    out.push_back(s);
  } else if (r.faithfulness) {
    const auto& f = *r.faithfulness;
    Series del{tr("deletion (area %1)").arg(formatValue(f.deletionArea)), {}, QColor(200, 60, 40)},
        ins{tr("insertion (area %1)").arg(formatValue(f.insertionArea)), {}, QColor(30, 90, 200)},
        rnd{tr("random deletion (area %1)").arg(formatValue(f.randomDeletionArea)), {}, QColor(140, 140, 140)};
    for (size_t k = 0; k < f.fraction.size(); ++k) {
      del.points.push_back({f.fraction[k], f.deletion[k]});
      ins.points.push_back({f.fraction[k], f.insertion[k]});
      rnd.points.push_back({f.fraction[k], f.randomDeletion[k]});
    }
    out = {del, ins, rnd};
  } else if (r.metrics) {
    const auto& road = r.metrics->road;
    Series morf{
        tr("ROAD, most relevant removed first (area %1)").arg(formatValue(road.morfArea)), {}, QColor(200, 60, 40)},
        lerf{tr("ROAD, least relevant removed first (area %1)").arg(formatValue(road.lerfArea)),
             {},
             QColor(30, 90, 200)};
    for (size_t k = 0; k < road.fraction.size(); ++k) {
      morf.points.push_back({road.fraction[k], road.morf[k]});
      lerf.points.push_back({road.fraction[k], road.lerf[k]});
    }
    out = {morf, lerf};
  } else if (r.sanity) {
    Series rank{tr("Spearman"), {}, QColor(200, 60, 40)}, absRank{tr("Spearman of |a|"), {}, QColor(230, 150, 40)},
        ssim{tr("SSIM of |a|"), {}, QColor(30, 90, 200)}, top{tr("top-10% overlap"), {}, QColor(90, 160, 90)};
    for (const auto& step : *r.sanity) {
      const double x = step.randomised;
      rank.points.push_back({x, step.similarity.spearman});
      absRank.points.push_back({x, step.similarity.spearmanAbs});
      ssim.points.push_back({x, step.similarity.ssim});
      top.points.push_back({x, step.similarity.topOverlap});
    }
    out = {rank, absRank, ssim, top};
  }
  return out;
}

std::vector<QPointF> AnalysisView::points() const {
  const auto s = series();
  return s.empty() ? std::vector<QPointF>{} : s[0].points;
}

void AnalysisView::activatePoint(int k) {
  if (!result_ || k < 0) return;
  const AnalysisResult& r = *result_;
  const int lmax = session_->layer(0) && session_->layer(0)->map ? 3 * session_->layer(0)->map->nside() - 1 : 1000;
  if (r.ablation && k < static_cast<int>(r.ablation->points.size())) {
    const double cut = r.ablation->points[static_cast<size_t>(k)].cut;
    if (r.kind == "lowpass")
      session_->setMultipoles(sky::MultipoleRange{0, static_cast<int>(cut)});
    else if (r.kind == "highpass")
      session_->setMultipoles(sky::MultipoleRange{static_cast<int>(cut), lmax});
    else if (r.kind == "remove-band")
      session_->setMultipoles(sky::MultipoleRange{static_cast<int>(cut), static_cast<int>(cut) + 9});
    else if (spotMap_) {
      // The spots that cut removes (or keeps), as a value-range selection of the map.
      const sky::FieldStatistics st = sky::computeStatistics(spotMap_->field(0));
      const double mean = st.mean, sigma = st.std;
      const bool hot = r.kind.endsWith("hot");
      sky::Selection s = sky::Selection().combined(
          sky::SelectionMode::Replace, sky::ValueRangeRegion{"spots", spotMap_, hot ? mean + cut * sigma : -1e300,
                                                             hot ? 1e300 : mean - cut * sigma, false});
      session_->setSelection(s);
    }
  } else if (r.sensitivity && !r.sensitivity->lmin.empty() && k < static_cast<int>(r.sensitivity->lmin.size())) {
    session_->setMultipoles(
        sky::MultipoleRange{r.sensitivity->lmin[static_cast<size_t>(k)], r.sensitivity->lmax[static_cast<size_t>(k)]});
  }
}

void AnalysisView::paintFigure(QPainter& painter, const QRect& bounds) {
  rebuildPlot();
  plot_->paintFigure(painter, bounds);
}

void AnalysisView::rebuildPlot() {
  plot_->clearAll();
  const auto all = series();
  title_->setText(result_ ? result_->kind : QString());
  if (all.empty()) {
    plot_->replot();
    return;
  }
  plot_->xAxis->setLabel(
      result_->ablation      ? (isScale(result_->kind) ? tr("cut (multipole l)") : tr("threshold k (sigma)"))
      : result_->sensitivity ? (result_->sensitivity->lmin.empty() ? tr("region (RING pixel)") : tr("band centre l"))
      : result_->metrics     ? tr("fraction of image pixels removed and imputed")
      : result_->sanity      ? tr("layers randomised, from the output")
                             : tr("fraction of pixels removed / inserted"));
  // The first curve reads on the left axis; an ablation's AUC on its own right axis;
  // faithfulness curves share the left one.
  const bool shared = result_->faithfulness || result_->metrics || result_->sanity;
  double x0 = INFINITY, x1 = -INFINITY, lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
  for (size_t k = 0; k < all.size(); ++k) {
    const Series& s = all[k];
    const int side = k == 0 || shared ? 0 : 1;
    QCPAxis* axis = side == 0 ? plot_->yAxis : plot_->yAxis2;
    QVector<double> x, y;
    for (const QPointF& p : s.points) {
      x << p.x();
      y << p.y();
      x0 = std::min(x0, p.x());
      x1 = std::max(x1, p.x());
      lo[side] = std::min(lo[side], p.y());
      hi[side] = std::max(hi[side], p.y());
    }
    QCPGraph* g =
        plot_->addLine(x, y, QPen(s.color, 1.5), side == 0 ? s.label : tr("%1 (right axis)").arg(s.label), axis);
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
    if (k == 0 || side == 1) {
      axis->setVisible(true);
      axis->setTickLabels(true);
      axis->setLabel(side == 0 && shared
                         ? (result_->sanity ? tr("similarity to the original attribution") : tr("model output"))
                         : s.label);
      axis->setLabelColor(shared ? Qt::black : s.color);
      axis->setTickLabelColor(shared ? Qt::black : s.color);
    }
  }
  SkyPlot::fitAxis(plot_->xAxis, x0, x1);
  SkyPlot::fitAxis(plot_->yAxis, lo[0], hi[0]);
  SkyPlot::fitAxis(plot_->yAxis2, lo[1], hi[1]);
  plot_->replot();
}

void AnalysisView::clicked(QMouseEvent* e) {
  const auto pts = points();
  if (pts.empty() || !plot_->axisRect()->rect().contains(e->position().toPoint())) return;
  const double x = plot_->xAxis->pixelToCoord(e->position().x());
  int best = 0;
  for (size_t k = 1; k < pts.size(); ++k)
    if (std::abs(pts[k].x() - x) < std::abs(pts[static_cast<size_t>(best)].x() - x)) best = static_cast<int>(k);
  activatePoint(best);
}

ViewSpec AnalysisView::viewSpec() {
  ViewSpec s;
  s.id = "analyses";
  s.title = QT_TRANSLATE_NOOP("ui::ViewRegistry", "Analyses");
  s.create = [](const ViewHost& host, QWidget* parent) -> QWidget* {
    return new AnalysisView(host.session, host.jobs, parent);
  };
  s.paintFigure = [](QWidget* v, QPainter& p, const QRect& r, double) {
    static_cast<AnalysisView*>(v)->paintFigure(p, r);
  };
  return s;
}

}  // namespace ui
