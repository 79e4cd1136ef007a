// The Explore tab: anchors A and B, the path between them, principal directions of G's Jacobian at
// the point, and every latent dimension.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gan/viz/gan_visualizer.h"
#include "gan/sampler.h"
#include "engine/widgets.h"

namespace ganvas {

void GanVisualizer::draw_explorer_tab() {
  ImGui::PushItemWidth(-(ImGui::CalcTextSize("speed").x + ImGui::GetStyle().ItemInnerSpacing.x * 2));
  draw_explorer_anchors();
  if (ui::slider_float("t", &t_, 0.0f, 1.0f, "%.3f", "the point on the path from A (0) to B (1); marked under the strip")) {
    set_explorer_base(interpolated(t_));
  }
  if (ui::checkbox("slerp", &slerp_, "walk along the sphere between A and B (off: a straight line)")) {
    set_explorer_base(interpolated(t_));
  }
  ImGui::SameLine();
  ui::checkbox("animate", &animate_, "swing t back and forth between A and B");
  if (ui::slider_int("strip", &strip_, 2, 32, "%d images", "how many images the strip under the grid shows from A to B")) {
    images_dirty_ = true;
  }
  ui::checkbox("random walk", &random_walk_, "the point wanders through latent space on its own");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(60.0f, ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("speed").x - 12));
  ui::slider_float("speed", &walk_speed_, 0.05f, 3.0f, "%.2f", "how far the random walk goes per second");
  draw_direction_sliders();
  draw_dimension_sliders();
  ImGui::PopItemWidth();
}

void GanVisualizer::draw_explorer_anchors() {
  if (ui::button("Random A", "a new random latent as anchor A (or left-click a digit of the grid)")) {
    set_anchor(0, sample_latents(++latent_seed_ * 7919, 1, snapshot_->shape.noise), -1);
  }
  ImGui::SameLine();
  if (ui::button("Random B", "a new random latent as anchor B (or right-click a digit of the grid)")) {
    set_anchor(1, sample_latents(++latent_seed_ * 7919 + 1, 1, snapshot_->shape.noise), -1);
  }
  ImGui::SameLine();
  if (ui::button("Resample grid", "draw new latents for the grid's digits")) {
    grid_latents_ = sample_latents(++latent_seed_ * 104729, config_.grid * config_.grid, snapshot_->shape.noise);
    anchor_cells_[0] = anchor_cells_[1] = -1;  // the anchors keep their latents, no longer on the grid
    d_scores_.clear();                        // the hover scores belonged to the old digits
    images_dirty_ = true;
  }
  char where[2][32];
  for (int which = 0; which < 2; ++which) {
    if (anchor_cells_[which] < 0) {
      std::snprintf(where[which], sizeof(where[which]), "random");
    } else {
      std::snprintf(where[which], sizeof(where[which]), "grid cell %d", anchor_cells_[which]);
    }
  }
  ImGui::TextDisabled("A: %s   B: %s", where[0], where[1]);
  ui::tooltip("left-click a digit of the grid to make it A, right-click to make it B");
}

void GanVisualizer::draw_direction_sliders() {
  ImGui::TextUnformatted("Principal directions at the point");
  ui::tooltip("the directions in z along which G's image changes most (right singular vectors of G's Jacobian);\n"
              "gain: how much the image changes per unit step along it (the singular value)");
  bool moved = false;
  for (size_t i = 0; i < directions_.size() && i < direction_amounts_.size(); ++i) {
    char label[32], format[48];
    std::snprintf(label, sizeof(label), "PC%zu", i + 1);
    std::snprintf(format, sizeof(format), "%%+.2f   (gain %.1f)", static_cast<double>(directions_[i].strength));
    moved |= ui::slider_float(label, &direction_amounts_[i], -3.0f, 3.0f, format,
                              "move the point along this direction; gain is the image change per unit");
  }
  if (moved) move_along_directions();
  if (ui::button("Reset point", "back to the point on the path at t; the directions stay")) {
    set_explorer_base(interpolated(t_));
  }
  ImGui::SameLine();
  if (ui::button("Recompute directions", "take the moved point as the new base and find its directions")) {
    set_explorer_base(explorer_);
  }
}

void GanVisualizer::draw_dimension_sliders() {
  const bool open = ImGui::TreeNode("All latent dimensions");
  ui::tooltip("a slider for each of the 100 coordinates of the point");
  ui::remember("All latent dimensions");
  if (!open) return;
  if (dimension_reach_.size() != explorer_.size() || !ImGui::IsAnyItemActive()) {
    // A slider spans the point's value: a point moved outside [-1, 1] is shown, not pinned.
    dimension_reach_.resize(explorer_.size());
    for (size_t j = 0; j < explorer_.size(); ++j) {
      dimension_reach_[j] = std::max(1.0f, std::ceil(std::fabs(explorer_[j]) * 2.0f) / 2.0f);
    }
  }
  ImGui::BeginChild("dimensions", ImVec2(0, std::max(120.0f, ImGui::GetContentRegionAvail().y)), true);
  for (size_t j = 0; j < explorer_.size(); ++j) {
    char label[32];
    std::snprintf(label, sizeof(label), "z%zu", j);
    if (ui::slider_float(label, &explorer_[j], -dimension_reach_[j], dimension_reach_[j], "%.3f",
                         "one coordinate of the point in latent space (the noise is uniform in [-1, 1])")) {
      explorer_base_ = explorer_;
      direction_amounts_.assign(direction_amounts_.size(), 0.0f);
      images_dirty_ = true;
    }
  }
  ImGui::EndChild();
  ImGui::TreePop();
}

}  // namespace ganvas
