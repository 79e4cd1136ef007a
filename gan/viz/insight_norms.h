// "Inside the networks" in the Insight tab: the networks' weight and gradient norms at each view the
// insight worker computed, kept over training and charted.
#pragma once

#include <cstddef>

#include "gan/viz/chart.h"
#include "gan/viz/insight_worker.h"

namespace ganvas {

class NormsChart {
 public:
  // At most `max_points` views are kept, thinned evenly as training goes on.
  explicit NormsChart(size_t max_points) : points_(max_points) {}

  void add(const InsightViews& views) { points_.add(point_of(views)); }
  void clear() { points_.clear(); }
  size_t size() const { return points_.size(); }
  void draw();

 private:
  // The networks' norms at one view.
  struct NormPoint {
    float step = 0, g_weight1 = 0, g_weight_out = 0, d_weight1 = 0, d_weight_out = 0, g_grad1 = 0, d_grad1 = 0;
  };
  static NormPoint point_of(const InsightViews& views);

  ChartHistory<NormPoint> points_;
};

}  // namespace ganvas
