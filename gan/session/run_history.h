// What one run has measured, point by point: the losses the trainer records at its steps and the
// quality scores judged every N steps, each with its step and the history of weights it belongs to.
// A reset, a load or another model starts a new history; an undo brings the one before back. Numbers
// of two histories are never joined into one chart or one CSV.
#pragma once

#include <cstdint>
#include <vector>

#include "common/chart_history.h"
#include "gan/eval/metrics_log.h"
#include "gan/eval/quality.h"
#include "gan/train/live_trainer.h"

namespace ganvas {

// Quality scores of the weights of one snapshot.
struct QualityPoint {
  uint64_t history = 0;  // the snapshot's LiveSnapshot::history
  uint64_t step = 0;
  QualityScores scores;
};

class RunHistory {
 public:
  // The quality history keeps at most `max_points` points, thinned evenly (common/chart_history.h).
  static constexpr size_t kMaxPoints = 1024;
  explicit RunHistory(size_t max_points = kMaxPoints);

  // The history the weights on screen continue (LiveSnapshot::history). Another one puts the current
  // points aside and starts empty, or brings back the ones put aside when it is theirs (an undo).
  // Returns whether the history changed.
  bool follow(uint64_t history);
  uint64_t id() const { return id_; }

  // Ignored when the point belongs to another history than the one followed: scores of weights that
  // were replaced while they were judged.
  void add_quality(QualityPoint point);
  const std::vector<QualityPoint>& quality() const { return quality_.points(); }

  // The losses (the trainer's record of this history) and the quality scores as CSV rows, one per step.
  std::vector<MetricsRow> rows(const MetricsHistory& losses) const;

 private:
  uint64_t id_ = 0;
  ChartHistory<QualityPoint> quality_;
  uint64_t set_aside_id_ = 0;  // the history before the current one, kept for an undo
  ChartHistory<QualityPoint> set_aside_;
};

}  // namespace ganvas
