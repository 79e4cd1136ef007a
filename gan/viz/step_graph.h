// "One step, explained": a training step drawn as a graph of its stages (noise -> G -> fakes; real
// images; D -> scores -> losses -> gradients -> updates), each node showing its live tensor (a
// histogram, thumbnails or numbers), and a slow-motion walk through one step, stage by stage, with
// the node in play highlighted and explained.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gan/eval/insight.h"
#include "gan/train/trainer.h"
#include "gan/viz/panel_image.h"

namespace ganvas {

// How the run trains, beyond the step's tensors: its objective, optimizer and schedule.
struct StepRun {
  TrainingRecipe recipe;
  Schedule schedule;
};

// What stage `stage` (0 .. StepGraph::kStages - 1) does, for a model of `shape` trained as `run`
// says; without a run, only what the shape tells.
std::string stage_caption(int stage, const ModelShape& shape, const std::optional<StepRun>& run);

class StepGraph {
 public:
  static constexpr int kStages = 9;

  // The explained step of snapshot `version` (at weights of `at_step`). Ignored while walking, so
  // the walk shows one step; the caller offers the latest again once the walk ends.
  void set(const StepExplained& step, uint64_t at_step, uint64_t version);
  // Whether the graph shows the step of snapshot `version`.
  bool shows(uint64_t version) const { return shown_ && version_ == version; }
  // The controls, the graph and the caption; Dear ImGui's clock paces the walk.
  void draw(float lr_g, float lr_d, bool invert);
  void reset_gl();
  // The run the captions describe (the loss, the optimizer, k D steps per G step).
  void set_run(const StepRun& run) { run_ = run; }
  // Stage `stage`'s caption for the step shown (or the tutorial's model before there is one).
  std::string caption(int stage) const;

  bool walking() const { return stage_ >= 0; }
  int stage() const { return stage_; }  // -1 when not walking
  bool has_step() const { return shown_.has_value(); }
  const StepExplained& shown() const { return *shown_; }
  uint64_t shown_step() const { return at_step_; }

 private:
  void draw_controls(double time);
  void advance(double time);
  void draw_graph(float lr_g, float lr_d);
  void draw_node_content(ImDrawList& draw, int stage, ImVec2 body, ImVec2 body_max, float lr_g, float lr_d) const;
  void draw_scores(ImDrawList& draw, ImVec2 body, ImVec2 body_max) const;
  void upload(bool invert);

  std::optional<StepExplained> shown_;
  std::optional<StepRun> run_;
  uint64_t at_step_ = 0;
  uint64_t version_ = 0;
  int stage_ = -1;
  double stage_started_ = 0;
  float seconds_per_stage_ = 2.0f;
  bool autoplay_ = true;
  PanelImage reals_, fakes_;
  bool uploaded_ = false;
  bool uploaded_inverted_ = true;
};

}  // namespace ganvas
