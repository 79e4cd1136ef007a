// One run's measured history: losses and quality scores, kept apart by the history of weights.
#include "gan/session/run_history.h"

#include <map>
#include <utility>

namespace ganvas {

RunHistory::RunHistory(size_t max_points) : quality_(max_points), set_aside_(max_points) {}

bool RunHistory::follow(uint64_t history) {
  if (history == id_) return false;
  if (history == set_aside_id_) {
    std::swap(quality_, set_aside_);
  } else {
    set_aside_ = std::move(quality_);
    quality_ = ChartHistory<QualityPoint>(set_aside_.capacity());
  }
  set_aside_id_ = std::exchange(id_, history);
  return true;
}

void RunHistory::add_quality(QualityPoint point) {
  if (point.history != id_) return;
  quality_.add(std::move(point));
}

std::vector<MetricsRow> RunHistory::rows(const MetricsHistory& losses) const {
  std::map<uint64_t, MetricsRow> by_step;
  const size_t loss_points = losses.history == id_ ? losses.step.size() : 0;  // another history's: none of them
  for (size_t i = 0; i < loss_points; ++i) {
    const uint64_t step = static_cast<uint64_t>(losses.step[i]) + 1;  // the losses hold 0-based steps
    StepMetrics m;
    m.gen_loss = losses.gen_loss[i];
    m.disc_loss = losses.disc_loss[i];
    m.d_real = losses.d_real[i];
    m.d_fake = losses.d_fake[i];
    by_step[step] = {step, m, std::nullopt};
  }
  for (const QualityPoint& p : quality_.points()) {
    by_step[p.step].steps_done = p.step;
    by_step[p.step].quality = p.scores;
  }
  std::vector<MetricsRow> rows;
  rows.reserve(by_step.size());
  for (auto& [step, row] : by_step) rows.push_back(std::move(row));
  return rows;
}

}  // namespace ganvas
