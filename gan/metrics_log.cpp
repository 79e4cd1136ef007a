// The CSV of training's history.
#include "gan/metrics_log.h"

#include <cstdio>

#include "common/atomic_file.h"

namespace ganvas {

namespace {

constexpr int kDigits = 10;

std::string header() {
  std::string text = "step,gen_loss,disc_loss,d_real,d_fake,fid,inception_score,coverage_bits,rarest_digit,rarest_share";
  for (int d = 0; d < kDigits; ++d) text += ",share_" + std::to_string(d);
  return text + "\n";
}

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof(text), pattern, value);
  return text;
}

std::string loss_columns(const std::optional<StepMetrics>& losses) {
  if (!losses) return std::string(4, ',');
  return "," + format("%.6f", losses->gen_loss) + "," + format("%.6f", losses->disc_loss) + "," +
         format("%.6f", losses->d_real) + "," + format("%.6f", losses->d_fake);
}

std::string quality_columns(const std::optional<QualityScores>& quality) {
  if (!quality) return std::string(5 + kDigits, ',');
  const DigitCoverage& c = quality->coverage;
  std::string text = "," + format("%.4f", quality->fid) + "," + format("%.4f", quality->inception_score) + "," +
                     format("%.4f", c.entropy_bits) + "," + std::to_string(c.rarest) + "," +
                     format("%.5f", c.rarest_share);
  for (int d = 0; d < kDigits; ++d) {
    const double share = d < static_cast<int>(c.counts.size()) && quality->samples
                             ? static_cast<double>(c.counts[d]) / quality->samples : 0.0;
    text += "," + format("%.5f", share);
  }
  return text;
}

}  // namespace

std::string metrics_csv(const std::vector<MetricsRow>& rows) {
  std::string text = header();
  for (const MetricsRow& row : rows) {
    text += std::to_string(row.steps_done) + loss_columns(row.losses) + quality_columns(row.quality) + "\n";
  }
  return text;
}

void MetricsCsvFile::append(const MetricsRow& row) {
  rows_.push_back(row);
  const std::string text = metrics_csv(rows_);
  write_file_atomically(path_, text.data(), text.size());
}

}  // namespace ganvas
