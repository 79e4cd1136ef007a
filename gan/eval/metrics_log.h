// Training's history as rows of numbers: the losses of a step and, where it was evaluated, the
// quality scores; written as CSV (by `ganvas train --metrics-csv` and the visualizer's export).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gan/backends/backend.h"
#include "gan/eval/quality.h"

namespace ganvas {

struct MetricsRow {
  uint64_t steps_done = 0;               // the CSV's step column: steps trained when measured
  std::optional<StepMetrics> losses;     // the step's losses, when known
  std::optional<QualityScores> quality;  // when the step was evaluated
};

// A header line, then one line per row; columns are empty where a row has no such numbers.
std::string metrics_csv(const std::vector<MetricsRow>& rows);
// The rows of such a CSV (one written by an older ganvas, without the samples column, too: its digit
// counts are then 0). Throws, naming `source` and the line, on text that is not one.
std::vector<MetricsRow> parse_metrics_csv(const std::string& text, const std::string& source);

// Rows kept in memory and the whole file rewritten atomically after each: a reader (or a crash)
// never sees half a file.
class MetricsCsvFile {
 public:
  // `earlier` rows come first (a resumed run's history), written with the first new row.
  explicit MetricsCsvFile(std::string path, std::vector<MetricsRow> earlier = {})
      : path_(std::move(path)), rows_(std::move(earlier)) {}
  void append(const MetricsRow& row);
  const std::vector<MetricsRow>& rows() const { return rows_; }

 private:
  std::string path_;
  std::vector<MetricsRow> rows_;
};

}  // namespace ganvas
