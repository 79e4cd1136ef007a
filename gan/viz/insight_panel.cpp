// The Insight tab: its sections fed from the insight worker each frame, and laid out in the panel.
#include "gan/viz/insight_panel.h"

#include <imgui.h>

#include <cmath>
#include <memory>
#include <utility>

#include "engine/widgets.h"

namespace ganvas {
namespace {

// A collapsing section with a tooltip, remembered so a test can open and close it as a user does.
bool section(const char* label, bool open_at_first, const char* tip) {
  const bool open = ImGui::CollapsingHeader(label, open_at_first ? ImGuiTreeNodeFlags_DefaultOpen : 0);
  ui::remember(label);
  ui::tooltip(tip);
  return open;
}

}  // namespace

InsightPanel::InsightPanel(std::string data_dir, DatasetKind kind, size_t max_points)
    : worker_(data_dir, kind), quality_(!data_dir.empty()), norms_(max_points) {}

void InsightPanel::attach(int grid_cells, int image) {
  overlay_.attach(grid_cells, image);
  views_.attach(image);
}

void InsightPanel::detach() {
  overlay_.detach();
  views_.reset_gl();
  step_graph_.reset_gl();
}

void InsightPanel::update(Session& session, double time, bool views_wanted, bool training) {
  const std::shared_ptr<const LiveSnapshot>& snapshot = session.shared_snapshot();
  if (snapshot->history != history_) {  // reset, loaded, undone or another model: judge these weights at once
    history_ = snapshot->history;
    quality_.restart();
    norms_.clear();
  }
  collect(session);
  if (views_wanted) views_.request(worker_, session, time);
  quality_.schedule(worker_, snapshot, training);
}

void InsightPanel::collect(Session& session) {
  if (views_.collect(worker_)) {
    if (views_.latest()->history == history_) norms_.add(*views_.latest());
    overlay_.mark_stale();
  }
  const std::optional<InsightViews>& views = views_.latest();
  if (views && !step_graph_.shows(views->version)) step_graph_.set(views->explained, views->step, views->version);
  quality_.collect(worker_, session);
  if (views) overlay_.upload(*views, views_.of_grid(session.grid_revision()));
}

void InsightPanel::draw(const Session& session, bool invert, const Comparison& comparison) {
  const LiveControls controls = session.trainer().controls();
  views_.upload(invert);
  // Sliders, fields and lists end where their labels beside them still fit, the longest included.
  const float label_room = ImGui::CalcTextSize("Seconds per stage").x + ImGui::GetStyle().ItemInnerSpacing.x;
  ImGui::PushItemWidth(-std::ceil(label_room));
  if (section("Quality over training", true, "FID, Inception Score and the digits drawn, every N steps")) {
    quality_.draw(session.history().quality(), comparison);
  }
  if (section("Real against fake", true, "real and generated images with D's score of each")) views_.draw_real_and_fake();
  if (section("D's landscape", true, "D over the data's principal plane, with reals and fakes on it")) {
    views_.draw_landscape();
  }
  if (section("What G is told", true, "where G's loss pushes each grid image")) {
    overlay_.draw_controls(views_.latest().has_value());
  }
  if (section("One step, explained", false, "a training step as a graph of its stages, and a walk through it")) {
    step_graph_.set_run({session.snapshot().recipe, controls.schedule});  // its captions say what this run does
    step_graph_.draw(controls.lr_g, controls.lr_d, invert);
  }
  if (section("Inside the networks", false, "weight and gradient norms over training")) norms_.draw();
  if (section("History", false, "the charted history as CSV")) export_.draw(session);
  ImGui::PopItemWidth();
}

}  // namespace ganvas
