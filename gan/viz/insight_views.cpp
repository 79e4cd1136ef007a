// "Real against fake" and "D's landscape": view requests to the insight worker, and their drawing.
#include "gan/viz/insight_views.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "engine/widgets.h"
#include "gan/viz/landscape_map.h"

namespace ganvas {
namespace {

constexpr double kViewsInterval = 0.25;  // seconds between view requests while weights change

}  // namespace

void ViewsSection::attach(int image) {
  image_ = image;
  uploaded_ = false;
}

void ViewsSection::reset_gl() {
  real_strip_.reset();
  fake_strip_.reset();
  landscape_.reset();
}

bool ViewsSection::collect(InsightWorker& worker) {
  std::optional<InsightViews> views = worker.take_views();
  const bool arrived = views.has_value();
  if (arrived) {
    views_ = std::move(views);
    views_revision_ = requested_revision_;
    uploaded_ = false;
    error_.clear();
  }
  if (std::string error = worker.take_views_error(); !error.empty()) error_ = error;
  return arrived;
}

void ViewsSection::request(InsightWorker& worker, const Session& session, double time) {
  const std::shared_ptr<const LiveSnapshot>& snapshot = session.shared_snapshot();
  const uint64_t grid_revision = session.grid_revision();
  const bool other_digit = views_ && snapshot->shape.conditional() && views_->landscape_digit != landscape_digit_;
  const bool stale = !views_ || views_->version != snapshot->version || views_revision_ != grid_revision || other_digit;
  if (stale && !worker.views_pending() && (time - requested_at_ >= kViewsInterval || other_digit)) {
    worker.request_views(snapshot, session.grid_latents(), landscape_digit_);
    requested_revision_ = grid_revision;
    requested_at_ = time;
  }
}

void ViewsSection::upload(bool invert) {
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

void ViewsSection::draw_strip(const char* label, const PanelImage& image, const std::vector<float>& scores) {
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

void ViewsSection::draw_real_and_fake() {
  if (!views_) {
    ImGui::TextWrapped("%s", error_.empty() ? "Computing..." : error_.c_str());
    return;
  }
  ImGui::TextWrapped("D's belief that each image is real, at step %llu. D learns while G catches up: fakes "
                     "scored near the reals mean G is fooling it.", static_cast<unsigned long long>(views_->step));
  draw_strip("Real training images", real_strip_, views_->real_scores);
  draw_strip("Fakes (the grid's first row)", fake_strip_, views_->fake_scores);
}

void ViewsSection::draw_landscape() {
  if (!views_) {
    ImGui::TextWrapped("%s", error_.empty() ? "Computing..." : error_.c_str());
    return;
  }
  if (views_->explained.shape.conditional()) draw_landscape_digit();
  draw_landscape_map(*views_, landscape_, ImGui::GetTextLineHeight() * 16.0f);
}

// A conditional D judges an image together with a digit: the landscape, its reals and its fakes
// are all of the digit picked here.
void ViewsSection::draw_landscape_digit() {
  static const char* const kDigits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  ui::combo("landscape digit", &landscape_digit_, kDigits, 10,
            "the digit D judges every point of the plane as, with real images of that digit and fakes asked for it");
  if (views_->landscape_digit != landscape_digit_) ImGui::TextDisabled("Judging as a %d...", landscape_digit_);
}

}  // namespace ganvas
