#pragma once
// The band-passed versions of maps that the sky views draw while an l-range is selected, made
// on the thread pool (a harmonic analysis and synthesis: seconds to minutes at nside 2048).
// Until one is ready the views draw the map itself; ready() says when to redraw. The transform
// stops at the band's upper multipole, which is all a kept band needs.
#include <QObject>
#include <QString>
#include <map>
#include <memory>
#include <vector>

#include "render/Colormap.h"
#include "select/Selection.h"
#include "sky/SkyMap.h"

namespace ui {

class BandPassCache : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  // The band-passed map when made, else null (and it is being made).
  std::shared_ptr<const sky::SkyMap> get(const std::shared_ptr<const sky::SkyMap>& map,
                                         const sky::MultipoleRange& band);
  // Forgets every map (a new band); maps still being made for the old band are dropped.
  void clear();
  bool pending() const { return running_ > 0; }
  std::vector<const sky::SkyMap*> made() const;  // the filtered maps held
  // Raw 0.5-99.5 percentiles of a filtered map, computed with it.
  const sky::ColorScale* scaleOf(const sky::SkyMap* filtered) const;

 signals:
  void ready();
  void failed(QString message);

 private:
  struct Entry {
    std::shared_ptr<const sky::SkyMap> filtered;  // null while being made
    sky::ColorScale scale;
  };
  std::map<const sky::SkyMap*, Entry> entries_;  // by source map (kept alive by the layers)
  int version_ = 0;                              // of the band; stale results are dropped
  int running_ = 0;
};

}  // namespace ui
