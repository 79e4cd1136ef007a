// The Explore tab: anchors A and B, the path between them, principal directions of G's Jacobian at
// the point, and every latent dimension.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <utility>

#include "gan/model/sampler.h"
#include "gan/viz/explore_tab.h"
#include "engine/widgets.h"

namespace ganvas {

ExploreTab::ExploreTab(Session& session, std::string output_dir) : session_(session), export_(std::move(output_dir)) {}

void ExploreTab::draw() {
  ImGui::PushItemWidth(-(ImGui::CalcTextSize("speed").x + ImGui::GetStyle().ItemInnerSpacing.x * 2));
  draw_anchors();
  if (session_.snapshot().shape.conditional()) draw_digit_controls();
  draw_path_controls();
  draw_export_buttons();
  draw_direction_sliders();
  draw_dimension_sliders();
  ImGui::PopItemWidth();
}

void ExploreTab::draw_path_controls() {
  LatentExplorer& explorer = session_.explorer();
  float t = explorer.t();
  if (ui::slider_float("t", &t, 0.0f, 1.0f, "%.3f", "the point on the path from A (0) to B (1); marked under the strip")) {
    explorer.set_t(t);
  }
  bool spherical = explorer.spherical();
  if (ui::checkbox("slerp", &spherical, "walk along the sphere between A and B (off: a straight line)")) {
    explorer.set_spherical(spherical);
  }
  ImGui::SameLine();
  bool animate = explorer.animating();
  if (ui::checkbox("animate", &animate, "swing t back and forth between A and B")) explorer.set_animating(animate);
  int strip = explorer.strip();
  if (ui::slider_int("strip", &strip, 2, 32, "%d images", "how many images the strip under the grid shows from A to B")) {
    explorer.set_strip(strip);
  }
  bool walk = explorer.random_walking();
  if (ui::checkbox("random walk", &walk, "the point wanders through latent space on its own")) explorer.set_random_walking(walk);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(60.0f, ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("speed").x - 12));
  float speed = explorer.walk_speed();
  if (ui::slider_float("speed", &speed, 0.05f, 3.0f, "%.2f", "how far the random walk goes per second")) {
    explorer.set_walk_speed(speed);
  }
}

void ExploreTab::draw_export_buttons() {
  if (ui::button("Export image", "save the explorer image (right of the grid) as a PNG, each of its pixels a clean "
                                 "square (504x504 for MNIST), colours as shown: explorer-N.png in the Recording folder")) {
    export_ask_ = ExportAsk::kImage;
  }
  ImGui::SameLine();
  if (ui::button("Export strip", "save the strip from A to B as one PNG, its images side by side as under the grid: "
                                 "strip-N.png in the Recording folder")) {
    export_ask_ = ExportAsk::kStrip;
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(export_.walking());
  if (ui::button("Export walk", "save the walk from A to B as an MP4: t from 0 to 1 in 3 s at 30 fps, the explorer "
                                "image at 504x504, with these anchors and slerp as set: walk-N.mp4 in the Recording folder")) {
    export_ask_ = ExportAsk::kWalk;
  }
  ImGui::EndDisabled();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextDisabled("%s", export_.message().c_str());
  ImGui::PopTextWrapPos();
  ui::tooltip("what the latest export wrote, with its full path (files never replace one already there)");
}

// The PNGs take what the canvas shows this frame, from the image buffer it was drawn from; the walk
// is written a few frames per window frame (at most ~25 ms each), so the window never stalls on it.
void ExploreTab::run_exports(const SessionImages& images, bool invert, std::chrono::milliseconds budget) {
  const int side = session_.snapshot().shape.image_side();
  const int strip_first = session_.grid_cells();
  const int strip = session_.explorer().strip();
  const LatentExplorer& explorer = session_.explorer();
  switch (std::exchange(export_ask_, ExportAsk::kNone)) {
    case ExportAsk::kImage:
      export_.write_image(images.pass(), side, images.buffer(), strip_first + strip, invert);
      break;
    case ExportAsk::kStrip:
      export_.write_strip(images.pass(), side, images.buffer(), strip_first, strip, invert);
      break;
    case ExportAsk::kWalk:
      export_.start_walk({session_.shared_snapshot(), explorer.anchor(0), explorer.anchor(1), explorer.spherical(), invert});
      break;
    case ExportAsk::kNone:
      break;
  }
  export_.continue_walk(images.pass(), budget);
}

void ExploreTab::draw_anchors() {
  if (ui::button("Random A", "a new random latent as anchor A (or left-click a digit of the grid)")) {
    session_.explorer().randomize_anchor(0);
  }
  ImGui::SameLine();
  if (ui::button("Random B", "a new random latent as anchor B (or right-click a digit of the grid)")) {
    session_.explorer().randomize_anchor(1);
  }
  ImGui::SameLine();
  if (ui::button("Resample grid", "draw new latents for the grid's digits")) session_.resample_grid();
  char where[2][32];
  for (int which = 0; which < 2; ++which) {
    const int cell = session_.explorer().anchor_cell(which);
    if (cell < 0) {
      std::snprintf(where[which], sizeof(where[which]), "random");
    } else {
      std::snprintf(where[which], sizeof(where[which]), "grid cell %d", cell);
    }
  }
  ImGui::TextDisabled("A: %s   B: %s", where[0], where[1]);
  ui::tooltip("left-click a digit of the grid to make it A, right-click to make it B");
}

void ExploreTab::draw_digit_controls() {
  static const char* const kGridChoices[] = {"a row per digit", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  static const char* const kDigits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  const auto fit_label = [](const char* label) {
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(label).x - ImGui::GetStyle().ItemInnerSpacing.x * 2);
  };
  int grid_choice = session_.grid_digit() + 1;
  fit_label("grid digits");
  if (ui::combo("grid digits", &grid_choice, kGridChoices, 11,
                "what the conditional model is asked to draw in the grid: one digit per row, or one digit everywhere")) {
    session_.set_grid_digit(grid_choice - 1);
  }
  const ModelShape& shape = session_.snapshot().shape;
  for (int which = 0; which < 2; ++which) {
    Latent z = session_.explorer().anchor(which);
    int digit = latent_digit(shape, z.data());
    fit_label("A's digit");
    if (ui::combo(which == 0 ? "A's digit" : "B's digit", &digit, kDigits, 10,
                  "the digit this anchor asks for; with A and B on different digits the strip and t morph one into "
                  "the other (the condition is interpolated with the noise)")) {
      std::fill(z.begin() + shape.noise, z.end(), 0.0f);
      z[static_cast<size_t>(shape.noise + digit)] = 1.0f;
      session_.explorer().set_anchor(which, z, -1);
    }
  }
}

void ExploreTab::draw_direction_sliders() {
  LatentExplorer& explorer = session_.explorer();
  ImGui::TextUnformatted("Principal directions at the point");
  ui::tooltip("the directions in z along which G's image changes most (right singular vectors of G's Jacobian);\n"
              "gain: how much the image changes per unit step along it (the singular value)");
  const std::vector<LatentDirection>& directions = explorer.directions();
  // Every row is there from the start, greyed until the analysis thread has found its direction, so
  // nothing below moves when the directions arrive.
  for (int i = 0; i < LatentExplorer::kDirections; ++i) {
    const bool found = i < static_cast<int>(directions.size());
    char label[32], format[48];
    std::snprintf(label, sizeof(label), "PC%d", i + 1);
    if (found) {
      std::snprintf(format, sizeof(format), "%%+.2f   (gain %.1f)", static_cast<double>(directions[static_cast<size_t>(i)].strength));
    } else {
      std::snprintf(format, sizeof(format), "computing...");
    }
    float amount = found ? explorer.amount(i) : 0.0f;
    ImGui::BeginDisabled(!found);
    if (ui::slider_float(label, &amount, -3.0f, 3.0f, format, "move the point along this direction; gain is the image change per unit") &&
        found) {
      explorer.set_amount(i, amount);
    }
    ImGui::EndDisabled();
  }
  if (ui::button("Reset point", "back to the point on the path at t; the directions stay")) explorer.reset_point();
  ImGui::SameLine();
  if (ui::button("Recompute directions", "take the moved point as the new base and find its directions")) {
    explorer.rebase_at_point();
  }
}

void ExploreTab::draw_dimension_sliders() {
  const bool open = ImGui::TreeNode("All latent dimensions");
  ui::tooltip("a slider for each of the 100 coordinates of the point");
  ui::remember("All latent dimensions");
  if (!open) return;
  const Latent& point = session_.explorer().point();
  if (dimension_reach_.size() != point.size() || !ImGui::IsAnyItemActive()) {
    // A slider spans the point's value: a point moved outside [-1, 1] is shown, not pinned.
    dimension_reach_.resize(point.size());
    for (size_t j = 0; j < point.size(); ++j) {
      dimension_reach_[j] = std::max(1.0f, std::ceil(std::fabs(point[j]) * 2.0f) / 2.0f);
    }
  }
  ImGui::BeginChild("dimensions", ImVec2(0, std::max(120.0f, ImGui::GetContentRegionAvail().y)), true);
  for (size_t j = 0; j < point.size(); ++j) {
    char label[32];
    std::snprintf(label, sizeof(label), "z%zu", j);
    float value = point[j];
    if (ui::slider_float(label, &value, -dimension_reach_[j], dimension_reach_[j], "%.3f",
                         "one coordinate of the point in latent space (the noise is uniform in [-1, 1])")) {
      session_.explorer().set_coordinate(j, value);
    }
  }
  ImGui::EndChild();
  ImGui::TreePop();
}

}  // namespace ganvas
