// The Insight tab: requests to the insight worker, and its charts, strips and landscape.
#include "gan/viz/insight_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/user_dirs.h"
#include "engine/gl.h"
#include "engine/widgets.h"
#include "gan/metrics_log.h"
#include "gan/viz/landscape_map.h"

namespace ganvas {
namespace {

constexpr double kViewsInterval = 0.25;  // seconds between view requests while weights change

void copy_path(char* out, size_t size, const std::string& path) { std::snprintf(out, size, "%s", path.c_str()); }

// A collapsing section with a tooltip, remembered so a test can open and close it as a user does.
bool section(const char* label, bool open_at_first, const char* tip) {
  const bool open = ImGui::CollapsingHeader(label, open_at_first ? ImGuiTreeNodeFlags_DefaultOpen : 0);
  ui::remember(label);
  ui::tooltip(tip);
  return open;
}

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

}  // namespace

InsightPanel::NormPoint InsightPanel::norm_point(const InsightViews& v) {
  const StepExplained& e = v.explained;
  return {static_cast<float>(v.step),
          e.generator_weights.first_weight(),
          e.generator_weights.output_weight(),
          e.discriminator_weights.first_weight(),
          e.discriminator_weights.output_weight(),
          e.gradients.generator.first_weight(),
          e.gradients.discriminator.first_weight()};
}

InsightPanel::InsightPanel(std::string data_dir, DatasetKind kind, size_t max_points)
    : has_data_(!data_dir.empty()), worker_(std::move(data_dir), kind), quality_(max_points), norms_(max_points) {
  copy_path(export_path_, sizeof(export_path_), user_data_file("training-history.csv"));
}

void InsightPanel::attach(int grid_cells, int image) {
  overlay_cells_ = grid_cells;
  image_ = image;
  overlay_buffer_ = gl::create_buffer();
  glNamedBufferStorage(overlay_buffer_.get(), static_cast<GLsizeiptr>(size_t(grid_cells) * image * sizeof(float)),
                       nullptr, GL_DYNAMIC_STORAGE_BIT);
  gl::check("creating the gradient overlay buffer");
  uploaded_ = false;
  overlay_stale_ = true;
}

void InsightPanel::detach() {
  overlay_buffer_.reset();
  real_strip_.reset();
  fake_strip_.reset();
  landscape_.reset();
  step_graph_.reset_gl();
}

void InsightPanel::update(const std::shared_ptr<const LiveSnapshot>& snapshot, const std::vector<float>& grid_latents,
                          uint64_t grid_revision, double time, bool views_wanted, bool training) {
  collect(grid_revision);
  if (snapshot->step < last_step_) next_quality_step_ = 0;  // reset or loaded: judge the new weights at once
  last_step_ = snapshot->step;
  const bool other_digit = views_ && snapshot->shape.conditional() && views_->landscape_digit != landscape_digit_;
  const bool stale = !views_ || views_->version != snapshot->version || views_revision_ != grid_revision || other_digit;
  if (views_wanted && stale && !worker_.views_pending() && (time - requested_at_ >= kViewsInterval || other_digit)) {
    worker_.request_views(snapshot, grid_latents, landscape_digit_);
    requested_revision_ = grid_revision;
    requested_at_ = time;
  }
  if (std::exchange(reschedule_, false)) next_quality_step_ = (snapshot->step / quality_every_ + 1) * quality_every_;
  if (training && judging_ && snapshot->step >= next_quality_step_ && !worker_.quality_pending()) {
    worker_.request_quality(snapshot);
    next_quality_step_ = (snapshot->step / quality_every_ + 1) * quality_every_;
  }
}

void InsightPanel::collect(uint64_t grid_revision) {
  if (std::optional<InsightViews> views = worker_.take_views()) {
    views_ = std::move(views);
    views_revision_ = requested_revision_;
    norms_.add(norm_point(*views_));
    uploaded_ = false;
    overlay_stale_ = true;
    views_error_.clear();
  }
  if (std::string error = worker_.take_views_error(); !error.empty()) views_error_ = error;
  if (views_ && !step_graph_.shows(views_->version)) step_graph_.set(views_->explained, views_->step, views_->version);
  if (std::optional<QualityPoint> point = worker_.take_quality()) {
    if (!quality_.empty() && point->step <= quality_.back().step) quality_.clear();  // weights reset or loaded
    quality_.add(std::move(*point));
    quality_error_.clear();
  }
  if (std::string error = worker_.take_quality_error(); !error.empty()) quality_error_ = error;
  if (views_ && views_revision_ == grid_revision && overlay_stale_ && overlay_buffer_ &&
      views_->grid_gradients.size() <= static_cast<size_t>(overlay_cells_) * image_) {
    glNamedBufferSubData(overlay_buffer_.get(), 0, static_cast<GLsizeiptr>(views_->grid_gradients.size() * sizeof(float)),
                         views_->grid_gradients.data());
    overlay_scale_ = views_->gradient_scale > 0 ? 1.0f / views_->gradient_scale : 0.0f;
    overlay_stale_ = false;
  }
}

bool InsightPanel::overlay_shown(uint64_t grid_revision) const {
  return overlay_on_ && views_ && views_revision_ == grid_revision && overlay_scale_ > 0;
}

void InsightPanel::upload_views(bool invert) {
  if (!views_ || (uploaded_ && invert == shown_inverted_)) return;
  const int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(image_))));
  const int real_count = static_cast<int>(views_->real_scores.size());
  const int fake_count = static_cast<int>(views_->fake_scores.size());
  real_strip_.upload(grey_row_rgba(views_->real_images, real_count, side, invert), real_count * side, side);
  fake_strip_.upload(grey_row_rgba(views_->fake_images, fake_count, side, invert), fake_count * side, side);
  const Landscape& l = views_->landscape;
  if (l.side > 0) landscape_.upload(landscape_rgba(l), l.side, l.side);
  uploaded_ = true;
  shown_inverted_ = invert;
}

ChartHover InsightPanel::chart(const char* title, const std::vector<float>& steps, const std::vector<float>& values,
                               ChartRange range, const char* help) {
  return line_chart(title, steps, values, range, ImGui::GetTextLineHeight() * 4.0f, "not measured yet", help);
}

void InsightPanel::draw(const LiveTrainer& trainer, bool invert) {
  const LiveControls controls = trainer.controls();
  upload_views(invert);
  // Sliders, fields and lists end where their labels beside them still fit, the longest included.
  const float label_room = ImGui::CalcTextSize("Seconds per stage").x + ImGui::GetStyle().ItemInnerSpacing.x;
  ImGui::PushItemWidth(-std::ceil(label_room));
  if (section("Quality over training", true, "FID, Inception Score and the digits drawn, every N steps")) draw_quality();
  if (section("Real against fake", true, "real and generated images with D's score of each")) draw_real_and_fake();
  if (section("D's landscape", true, "D over the data's principal plane, with reals and fakes on it")) draw_landscape();
  if (section("What G is told", true, "where G's loss pushes each grid image")) draw_overlay_controls();
  if (section("One step, explained", false, "a training step as a graph of its stages, and a walk through it")) {
    step_graph_.set_run({trainer.snapshot()->recipe, controls.schedule});  // its captions say what this run does
    step_graph_.draw(controls.lr_g, controls.lr_d, invert);
  }
  if (section("Inside the networks", false, "weight and gradient norms over training")) draw_norms();
  if (section("History", false, "the charted history as CSV")) draw_export(trainer);
  ImGui::PopItemWidth();
}

void InsightPanel::draw_quality() {
  ui::checkbox("Judge while training", &judging_,
               "Every N steps, 1,000 samples go through the MNIST classifier on a thread of their own: the\n"
               "Frechet distance (FID) of their features to the test set's, and which digits they are.");
  if (ui::slider_int("Every N steps", &quality_every_, 100, 5000, "%d",
                     "How often the scores are computed. Each takes about a tenth of a second of one core.")) {
    reschedule_ = true;
  }
  if (!has_data_) {
    ImGui::TextWrapped("Scores are judged while training, against MNIST's test set: start ganvas with MNIST "
                       "(--data-dir) to see them. 'ganvas eval --checkpoint F' judges a checkpoint from the command line.");
  }
  if (!quality_error_.empty()) ImGui::TextWrapped("%s", quality_error_.c_str());
  std::vector<float> steps, fid, bits;
  for (const QualityPoint& p : quality_.points()) {
    steps.push_back(static_cast<float>(p.step));
    fid.push_back(static_cast<float>(p.scores.fid));
    bits.push_back(static_cast<float>(p.scores.coverage.entropy_bits));
  }
  ui::checkbox("Log scale", &log_fid_, "FID falls by orders of magnitude early in training: a log axis shows both ends.");
  chart("FID (lower is better)", steps, fid, {0, 1, true, log_fid_}, kFidHelp);
  chart("Digit coverage (bits)", steps, bits, {0, 3.33f, false}, kBitsHelp);
  if (quality_.size() >= 2) draw_digit_shares();
  if (!quality_.empty()) draw_digit_histogram(quality_.back().scores);
}

// Each digit's share of the samples over training, stacked (0 at the bottom): the histogram charted
// over training. Hover for the shares at the nearest evaluation.
void InsightPanel::draw_digit_shares() {
  ImGui::TextWrapped("Digit shares over training (0 at bottom)");
  const float width = ImGui::GetContentRegionAvail().x, height = ImGui::GetTextLineHeight() * 4.0f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("Digit shares", ImVec2(width, height));
  ui::remember("Digit shares");
  ImDrawList& draw = *ImGui::GetWindowDrawList();
  const std::vector<QualityPoint>& points = quality_.points();
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
  if (ImGui::IsItemHovered()) digit_shares_tooltip(origin.x, width, first, span);
  draw_digit_legend();
}

// The colour of each digit in the shares chart, always in view: ten cells across the panel.
void InsightPanel::draw_digit_legend() {
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
void InsightPanel::digit_shares_tooltip(float left, float width, float first, float span) {
  const std::vector<QualityPoint>& points = quality_.points();
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

void InsightPanel::draw_digit_histogram(const QualityScores& s) {
  ImGui::Text("Inception Score %.2f", s.inception_score);
  help_marker("IS (?)", kIsHelp);
  ImGui::Text("Digits drawn at step %llu", static_cast<unsigned long long>(quality_.back().step));
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

void InsightPanel::draw_strip(const char* label, const PanelImage& image, const std::vector<float>& scores) {
  ImGui::TextUnformatted(label);
  const float width = ImGui::GetContentRegionAvail().x, cell = width / std::max<size_t>(1, scores.size());
  image.draw(width, cell);
  ui::remember(label);
  ui::tooltip("D's score of each image is under it: its belief, from 0 to 1, that the image is real");
  for (size_t i = 0; i < scores.size(); ++i) {
    if (i) ImGui::SameLine(cell * i + ImGui::GetStyle().WindowPadding.x);
    ImGui::Text("%.2f", scores[i]);
  }
}

void InsightPanel::draw_real_and_fake() {
  if (!views_) {
    ImGui::TextWrapped("%s", views_error_.empty() ? "Computing..." : views_error_.c_str());
    return;
  }
  ImGui::TextWrapped("D's belief that each image is real, at step %llu. D learns while G catches up: fakes "
                     "scored near the reals mean G is fooling it.", static_cast<unsigned long long>(views_->step));
  draw_strip("Real training images", real_strip_, views_->real_scores);
  draw_strip("Fakes (the grid's first row)", fake_strip_, views_->fake_scores);
}

void InsightPanel::draw_landscape() {
  if (!views_) {
    ImGui::TextWrapped("%s", views_error_.empty() ? "Computing..." : views_error_.c_str());
    return;
  }
  if (views_->explained.shape.conditional()) draw_landscape_digit();
  draw_landscape_map(*views_, landscape_, ImGui::GetTextLineHeight() * 16.0f);
}

// A conditional D judges an image together with a digit: the landscape, its reals and its fakes
// are all of the digit picked here.
void InsightPanel::draw_landscape_digit() {
  static const char* const kDigits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  ui::combo("landscape digit", &landscape_digit_, kDigits, 10,
            "the digit D judges every point of the plane as, with real images of that digit and fakes asked for it");
  if (views_->landscape_digit != landscape_digit_) ImGui::TextDisabled("Judging as a %d...", landscape_digit_);
}

void InsightPanel::draw_overlay_controls() {
  ui::checkbox("Gradient overlay on the grid", &overlay_on_,
               "Tints each grid image with the gradient of G's loss, -log D(G(z)), with respect to its pixels:\n"
               "red where G is told to add stroke (raise the pixel), blue where it is told to take stroke away.\n"
               "It shows where D pushes each fake.");
  ImGui::TextWrapped(overlay_on_ && views_ ? "Red: G is told to add stroke there. Blue: to take it away. The tint is "
                                             "scaled to the largest push on the grid."
                                           : "Turn it on to see, on the grid, where D pushes each fake.");
}

void InsightPanel::draw_norms() {
  ImGui::TextWrapped("L2 norms of the first and last layers' weights, and of the gradients of one batch at the weights "
                     "on screen. Exploding gradients or a stalled network show here first.");
  const auto column = [&](float NormPoint::*field) {
    std::vector<float> values;
    values.reserve(norms_.size());
    for (const NormPoint& p : norms_.points()) values.push_back(p.*field);
    return values;
  };
  const std::vector<float> steps = column(&NormPoint::step);
  chart("G layer 1 weights", steps, column(&NormPoint::g_weight1), {0, 1, true});
  chart("G output layer weights", steps, column(&NormPoint::g_weight_out), {0, 1, true});
  chart("D layer 1 weights", steps, column(&NormPoint::d_weight1), {0, 1, true});
  chart("D output layer weights", steps, column(&NormPoint::d_weight_out), {0, 1, true});
  chart("G layer 1 gradient", steps, column(&NormPoint::g_grad1), {0, 1, true, true});
  chart("D layer 1 gradient", steps, column(&NormPoint::d_grad1), {0, 1, true, true});
}

void InsightPanel::draw_export(const LiveTrainer& trainer) {
  ui::input_text("CSV file", export_path_, sizeof(export_path_), "Where Export writes the history");
  if (ui::button("Export CSV", "Writes the charted losses and quality scores, one row per step, as CSV")) {
    const MetricsHistory history = trainer.history();
    std::map<uint64_t, MetricsRow> rows;
    for (size_t i = 0; i < history.step.size(); ++i) {
      const uint64_t step = static_cast<uint64_t>(history.step[i]) + 1;  // the history holds 0-based steps
      StepMetrics m;
      m.gen_loss = history.gen_loss[i];
      m.disc_loss = history.disc_loss[i];
      m.d_real = history.d_real[i];
      m.d_fake = history.d_fake[i];
      rows[step] = {step, m, std::nullopt};
    }
    for (const QualityPoint& p : quality_.points()) {
      rows[p.step].steps_done = p.step;
      rows[p.step].quality = p.scores;
    }
    std::vector<MetricsRow> ordered;
    for (auto& [step, row] : rows) ordered.push_back(std::move(row));
    try {
      create_parent_directories(export_path_);
      const std::string text = metrics_csv(ordered);
      write_file_atomically(export_path_, text.data(), text.size());
      export_note_ = "wrote " + std::to_string(ordered.size()) + " rows to " + export_path_;
    } catch (const std::exception& e) {
      export_note_ = e.what();
    }
  }
  if (export_note_.empty()) return;
  ImGui::SameLine();  // beside the button, where the eye is: a line under it may be below the fold
  ImGui::TextWrapped("%s", export_note_.c_str());
  ui::remember("Export note");
  ui::tooltip("What the latest Export did");
}

}  // namespace ganvas
