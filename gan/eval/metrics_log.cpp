// The CSV of training's history.
#include "gan/eval/metrics_log.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/printable.h"

namespace ganvas {

namespace {

constexpr int kDigits = 10;

std::string header() {
  std::string text = "step,gen_loss,disc_loss,d_real,d_fake,fid,inception_score,coverage_bits,rarest_digit,rarest_share";
  for (int d = 0; d < kDigits; ++d) text += ",share_" + std::to_string(d);
  return text + ",samples\n";
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
  if (!quality) return std::string(5 + kDigits + 1, ',');
  const DigitCoverage& c = quality->coverage;
  std::string text = "," + format("%.4f", quality->fid) + "," + format("%.4f", quality->inception_score) + "," +
                     format("%.4f", c.entropy_bits) + "," + std::to_string(c.rarest) + "," +
                     format("%.5f", c.rarest_share);
  for (int d = 0; d < kDigits; ++d) {
    const double share = d < static_cast<int>(c.counts.size()) && quality->samples
                             ? static_cast<double>(c.counts[d]) / quality->samples : 0.0;
    text += "," + format("%.5f", share);
  }
  return text + "," + std::to_string(quality->samples);
}

// The comma-separated fields of a line.
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// A number of the CSV, or nothing for an empty field; anything else is refused.
std::optional<double> number_of(const std::string& field, const std::string& where) {
  if (field.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(field.c_str(), &end);
  if (end != field.c_str() + field.size() || !std::isfinite(value)) GANVAS_THROW(where + ": " + quote(field) + " is not a number");
  return value;
}

MetricsRow row_of(const std::vector<std::string>& f, const std::string& where) {
  MetricsRow row;
  const std::optional<double> step = number_of(f[0], where);
  GANVAS_CHECK(step && *step >= 0 && *step < 4.6e18, where + ": no step");
  row.steps_done = static_cast<uint64_t>(*step);
  std::optional<double> losses[4];
  for (int i = 0; i < 4; ++i) losses[i] = number_of(f[1 + i], where);
  if (losses[0] && losses[1] && losses[2] && losses[3]) {
    StepMetrics m;
    m.step = row.steps_done > 0 ? row.steps_done - 1 : 0;
    m.gen_loss = static_cast<float>(*losses[0]);
    m.disc_loss = static_cast<float>(*losses[1]);
    m.d_real = static_cast<float>(*losses[2]);
    m.d_fake = static_cast<float>(*losses[3]);
    row.losses = m;
  }
  const std::optional<double> fid = number_of(f[5], where);
  if (!fid) return row;
  QualityScores q;
  q.fid = *fid;
  q.inception_score = number_of(f[6], where).value_or(0);
  q.coverage.entropy_bits = number_of(f[7], where).value_or(0);
  q.coverage.rarest = static_cast<int>(number_of(f[8], where).value_or(0));
  q.coverage.rarest_share = number_of(f[9], where).value_or(0);
  q.samples = f.size() > 10u + kDigits ? static_cast<int>(number_of(f[10 + kDigits], where).value_or(0)) : 0;
  for (int d = 0; d < kDigits; ++d) {
    const double share = number_of(f[10 + d], where).value_or(0);
    q.coverage.counts.push_back(static_cast<int>(std::lround(share * q.samples)));
  }
  row.quality = q;
  return row;
}

}  // namespace

std::vector<MetricsRow> parse_metrics_csv(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  std::string line;
  GANVAS_CHECK(std::getline(in, line) && line.rfind("step,gen_loss,disc_loss,d_real,d_fake,fid", 0) == 0,
               source + " is not a ganvas metrics CSV (its first line is not ganvas's header)");
  const size_t columns = fields_of(line).size();
  std::vector<MetricsRow> rows;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string where = source + ":" + std::to_string(number);
    const std::vector<std::string> fields = fields_of(line);
    GANVAS_CHECK(fields.size() == columns && columns >= 10u + kDigits, where + ": " + std::to_string(fields.size()) +
                                                                          " fields, the header has " + std::to_string(columns));
    rows.push_back(row_of(fields, where));
  }
  return rows;
}

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
