// The Train tab: play/pause and single steps, the schedule, learning rates, reset (of this model or
// another) with undo, Load and Save, the trainer's messages, and the charts of training.
#pragma once

#include <string>

#include "gan/session/session.h"
#include "gan/viz/chart.h"
#include "gan/viz/comparison.h"

namespace ganvas {

class TrainTab {
 public:
  // `checkpoint` is the file Load and Save start with; `walk`: a scripted walk explores a model on purpose.
  TrainTab(Session& session, const std::string& checkpoint, bool walk);
  // `comparison`'s runs are drawn over the charts.
  void draw(const Comparison& comparison);
  // The user did something: the message they saw is answered (called before the command it sends,
  // so the command's own answer shows).
  void acted();
  // The message line under the controls ("" when hidden).
  std::string visible_message() const;
  // The chart point under the mouse in the latest frame.
  const ChartHover& chart_hover() const { return chart_hover_; }

 private:
  void draw_training_controls(const LiveStatus& status);
  void draw_checkpoint_controls(const LiveStatus& status);
  void draw_reset_prompt();
  bool draw_reset_model_choice();
  void reset_to_chosen_model();
  void draw_message(const LiveStatus& status);
  void draw_charts(bool has_data, const Comparison& comparison);
  void draw_legend(const Comparison& comparison);

  Session& session_;
  bool walk_;
  int reset_seed_ = 0;
  int reset_preset_ = 0;  // 0: this model, else presets()[i - 1]
  int reset_loss_ = 0;    // a Loss
  char checkpoint_path_[512] = "";
  uint64_t hidden_message_ = 0;  // the serial of the message the user answered
  ChartHover chart_hover_;
  bool log_losses_ = false;
};

}  // namespace ganvas
