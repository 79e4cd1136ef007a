// "Quality over training": the evaluation schedule, and the charts of the scores and digits drawn.
#include "gan/viz/insight_quality.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "engine/widgets.h"
#include "gan/viz/insight_chart.h"

namespace ganvas {
namespace {

// The digits' colours in the shares chart, 0 at the bottom.
constexpr ImU32 kDigitColours[10] = {
    IM_COL32(230, 80, 80, 255),  IM_COL32(240, 150, 60, 255), IM_COL32(230, 210, 70, 255), IM_COL32(140, 210, 70, 255),
    IM_COL32(60, 190, 120, 255), IM_COL32(60, 200, 200, 255), IM_COL32(70, 140, 230, 255), IM_COL32(120, 100, 230, 255),
    IM_COL32(190, 90, 220, 255), IM_COL32(220, 100, 160, 255)};

// A "(?)" beside the last item whose tooltip says what a measure is; remembered as `label`.
void help_marker(const char* label, const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  ui::remember(label);
  ui::tooltip(text);
}

constexpr const char* kFidHelp =
    "Frechet distance between the features of 1,000 samples and those of MNIST's test set (their means and\n"
    "covariances). Lower is better: 0 would be samples indistinguishable from the data.\n"
    "The features come from ganvas's own MNIST classifier, not from Inception, so these numbers cannot be\n"
    "compared with published FIDs.";
constexpr const char* kIsHelp =
    "Inception Score: how sure the classifier is of each sample's digit, and how evenly the digits are\n"
    "spread. Higher is better: from 1 (one digit only, or unrecognisable) up to 10 (every sample clearly\n"
    "a digit, all ten equally often). Computed with ganvas's own MNIST classifier, not Inception.";
constexpr const char* kBitsHelp =
    "Digit coverage: the entropy of the digits drawn, in bits. Higher is better: 3.32 (log2 of 10) when all\n"
    "ten digits are drawn equally often, 0 when only one is. A falling value is mode collapse.";

// The colour of each digit in the shares chart, always in view: ten cells across the panel.
void draw_digit_legend() {
  const float line = ImGui::GetTextLineHeight(), cell = ImGui::GetContentRegionAvail().x / 10;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Dummy(ImVec2(cell * 10, line));
  ui::remember("Digit shares legend");
  ui::tooltip("Each digit's colour in the chart above");
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const float swatch = std::min(line, cell * 0.45f);
  for (int d = 0; d < 10; ++d) {
    const char label[2] = {static_cast<char>('0' + d), 0};
    const ImVec2 at(origin.x + d * cell, origin.y + (line - swatch) * 0.5f);
    draw.AddRectFilled(at, ImVec2(at.x + swatch, at.y + swatch), kDigitColours[d]);
    draw.AddText(ImVec2(at.x + swatch + 3, origin.y), ImGui::GetColorU32(ImGuiCol_Text), label);
  }
}

// The shares at the evaluation nearest the pointer.
void digit_shares_tooltip(const std::vector<QualityPoint>& points, float left, float width, float first, float span) {
  const float mouse_step = first + (ImGui::GetIO().MousePos.x - left) / width * span;
  const QualityPoint* nearest = &points.front();
  for (const QualityPoint& p : points) {
    if (std::fabs(static_cast<float>(p.step) - mouse_step) < std::fabs(static_cast<float>(nearest->step) - mouse_step)) nearest = &p;
  }
  std::string tip = "step " + std::to_string(nearest->step) + ":";
  for (int d = 0; d < 10; ++d) {
    char share[24];
    std::snprintf(share, sizeof(share), " %d: %.1f%%", d, 100.0 * nearest->scores.coverage.counts[d] / nearest->scores.samples);
    tip += share;
  }
  ImGui::SetTooltip("%s", tip.c_str());
}

// Each digit's share of the samples over training, stacked (0 at the bottom): the histogram charted
// over training. Hover for the shares at the nearest evaluation.
void draw_digit_shares(const std::vector<QualityPoint>& points) {
  ImGui::TextWrapped("Digit shares over training (0 at bottom)");
  const float width = ImGui::GetContentRegionAvail().x, height = ImGui::GetTextLineHeight() * 4.0f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("Digit shares", ImVec2(width, height));
  ui::remember("Digit shares");
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const float first = static_cast<float>(points.front().step);
  const float span = std::max(1.0f, static_cast<float>(points.back().step) - first);
  const auto x_of = [&](const QualityPoint& p) { return origin.x + (static_cast<float>(p.step) - first) / span * width; };
  const auto share_of = [](const QualityPoint& p, int d) { return static_cast<float>(p.scores.coverage.counts[d]) / p.scores.samples; };
  // A band narrower than kMinBand pixels is merged into the next, so a frame draws at most one band
  // per kMinBand pixels of width however many evaluations there are.
  constexpr float kMinBand = 2.0f;
  size_t from = 0;
  for (size_t to = 1; to < points.size(); ++to) {
    const float xa = x_of(points[from]), xb = x_of(points[to]);
    if (xb - xa < kMinBand && to + 1 < points.size()) continue;
    float below_a = 0, below_b = 0;  // the stacked share under the band, at both ends
    for (int d = 0; d < 10; ++d) {
      const float a = share_of(points[from], d), b = share_of(points[to], d);
      draw.AddQuadFilled(ImVec2(xa, origin.y + height * (1 - below_a)), ImVec2(xb, origin.y + height * (1 - below_b)),
                         ImVec2(xb, origin.y + height * (1 - below_b - b)), ImVec2(xa, origin.y + height * (1 - below_a - a)),
                         kDigitColours[d]);
      below_a += a;
      below_b += b;
    }
    from = to;
  }
  if (ImGui::IsItemHovered()) digit_shares_tooltip(points, origin.x, width, first, span);
  draw_digit_legend();
}

// The latest evaluation's Inception Score, and how often it drew each digit, the rarest marked.
void draw_digit_histogram(const QualityPoint& point) {
  const QualityScores& s = point.scores;
  ImGui::Text("Inception Score %.2f", s.inception_score);
  help_marker("IS (?)", kIsHelp);
  ImGui::Text("Digits drawn at step %llu", static_cast<unsigned long long>(point.step));
  char rarest[48];
  std::snprintf(rarest, sizeof(rarest), "rarest %d: %.1f %%", s.coverage.rarest, 100.0 * s.coverage.rarest_share);
  const float beside = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(rarest).x;
  if (beside <= ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x) ImGui::SameLine();  // else under
  ImGui::TextColored(ImColor(230, 120, 60), "%s", rarest);
  const float width = ImGui::GetContentRegionAvail().x, height = ImGui::GetTextLineHeight() * 4.0f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("Digit histogram", ImVec2(width, height + ImGui::GetTextLineHeight()));
  ui::remember("Digit histogram");
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const int classes = static_cast<int>(s.coverage.counts.size());
  const int top = std::max(1, *std::max_element(s.coverage.counts.begin(), s.coverage.counts.end()));
  const float bar = width / classes;
  for (int d = 0; d < classes; ++d) {
    const float h = height * s.coverage.counts[d] / top;
    const ImVec2 a(origin.x + d * bar + 2, origin.y + height - h), b(origin.x + (d + 1) * bar - 2, origin.y + height);
    draw.AddRectFilled(a, b, d == s.coverage.rarest ? IM_COL32(230, 120, 60, 255) : IM_COL32(110, 180, 255, 255));
    const char label[2] = {static_cast<char>('0' + d % 10), 0};
    draw.AddText(ImVec2(origin.x + (d + 0.5f) * bar - 4, origin.y + height), IM_COL32(200, 200, 210, 255), label);
  }
  if (ImGui::IsItemHovered()) {
    const int d = std::clamp(static_cast<int>((ImGui::GetIO().MousePos.x - origin.x) / bar), 0, classes - 1);
    ImGui::SetTooltip("digit %d: %d of %d samples (%.1f %%)", d, s.coverage.counts[d], s.samples,
                      100.0 * s.coverage.counts[d] / s.samples);
  }
}

}  // namespace

void QualitySection::collect(InsightWorker& worker, Session& session) {
  if (std::optional<QualityPoint> point = worker.take_quality()) {
    session.history().add_quality(std::move(*point));  // dropped there when the weights were replaced meanwhile
    error_.clear();
  }
  if (std::string error = worker.take_quality_error(); !error.empty()) error_ = error;
}

void QualitySection::schedule(InsightWorker& worker, const std::shared_ptr<const LiveSnapshot>& snapshot, bool training) {
  if (std::exchange(reschedule_, false)) next_step_ = (snapshot->step / every_ + 1) * every_;
  if (training && judging_ && snapshot->step >= next_step_ && !worker.quality_pending()) {
    worker.request_quality(snapshot);
    next_step_ = (snapshot->step / every_ + 1) * every_;
  }
}

void QualitySection::draw(const std::vector<QualityPoint>& points, const Comparison& comparison) {
  ui::checkbox("Judge while training", &judging_,
               "Every N steps, 1,000 samples go through the MNIST classifier on a thread of their own: the\n"
               "Frechet distance (FID) of their features to the test set's, and which digits they are.");
  if (ui::slider_int("Every N steps", &every_, 100, 5000, "%d",
                     "How often the scores are computed. Each takes about a tenth of a second of one core.")) {
    reschedule_ = true;
  }
  if (!has_data_) {
    ImGui::TextWrapped("Scores are judged while training, against MNIST's test set: start ganvas with MNIST "
                       "(--data-dir) to see them. 'ganvas eval --checkpoint F' judges a checkpoint from the command line.");
  }
  if (!error_.empty()) ImGui::TextWrapped("%s", error_.c_str());
  std::vector<float> steps, fid, bits;
  for (const QualityPoint& p : points) {
    steps.push_back(static_cast<float>(p.step));
    fid.push_back(static_cast<float>(p.scores.fid));
    bits.push_back(static_cast<float>(p.scores.coverage.entropy_bits));
  }
  ui::checkbox("Log scale", &log_fid_, "FID falls by orders of magnitude early in training: a log axis shows both ends.");
  insight_chart("FID (lower is better)", steps, fid, {0, 1, true, log_fid_}, kFidHelp,
                comparison.quality_lines(&ComparedRun::fid));
  insight_chart("Digit coverage (bits)", steps, bits, {0, 3.33f, false}, kBitsHelp,
                comparison.quality_lines(&ComparedRun::bits));
  if (points.size() >= 2) draw_digit_shares(points);
  if (!points.empty()) draw_digit_histogram(points.back());
}

}  // namespace ganvas
