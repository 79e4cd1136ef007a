// The Explore tab: anchors A and B, the path between them, a conditional model's digits, principal
// directions of G's Jacobian at the point, every latent dimension, and exports of what it shows.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "gan/render/session_images.h"
#include "gan/session/session.h"
#include "gan/viz/explore_export.h"

namespace ganvas {

class ExploreTab {
 public:
  // Exports go into `output_dir` (the Recording panel's folder).
  ExploreTab(Session& session, std::string output_dir);
  void draw();
  // What the export buttons asked for, on the GL thread after the canvas is drawn from `images`,
  // and some frames of a walk being written (at most ~`budget` of work).
  void run_exports(const SessionImages& images, bool invert, std::chrono::milliseconds budget);
  // The line under the export buttons: what the latest export wrote, or where files go.
  const std::string& export_message() const { return export_.message(); }
  bool exporting_walk() const { return export_.walking(); }

 private:
  void draw_anchors();
  void draw_digit_controls();  // conditional models: which digits the grid and the anchors ask for
  void draw_path_controls();
  void draw_export_buttons();
  void draw_direction_sliders();
  void draw_dimension_sliders();

  Session& session_;
  ExploreExport export_;
  enum class ExportAsk { kNone, kImage, kStrip, kWalk } export_ask_ = ExportAsk::kNone;  // clicked in this frame
  std::vector<float> dimension_reach_;  // each z slider spans [-reach, reach]: the point is never pinned
};

}  // namespace ganvas
