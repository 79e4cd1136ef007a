// The Train tab: play/pause and single steps, the schedule, learning rates, reset with undo,
// checkpoints, status, and the charts of training.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <vector>

#include "common/atomic_file.h"
#include "common/printable.h"
#include "gan/model/presets.h"
#include "gan/viz/train_tab.h"
#include "engine/widgets.h"

namespace ganvas {
namespace {

constexpr const char* kResetPrompt = "Reset the weights?";
constexpr float kMinLearningRate = 1e-5f, kMaxLearningRate = 1e-2f;

}  // namespace

TrainTab::TrainTab(Session& session, const std::string& checkpoint, bool walk) : session_(session), walk_(walk) {
  std::snprintf(checkpoint_path_, sizeof(checkpoint_path_), "%s", checkpoint.c_str());
}

void TrainTab::draw(const Comparison& comparison) {
  const LiveStatus status = session_.trainer().status();
  ImGui::PushItemWidth(-(ImGui::CalcTextSize("steps/frame").x + ImGui::GetStyle().ItemInnerSpacing.x * 2));
  if (session_.following()) {  // nothing is missing: the run is another process's to train
    ImGui::TextWrapped("Following %s: another process trains it, and each checkpoint it writes shows here.",
                       shown_path(session_.run_dir()).c_str());
    ui::remember("follow note");
  } else if (!status.has_data) {
    if (walk_) {  // a scripted walk (ganvas record) explores a model on purpose: nothing is missing
      ImGui::TextWrapped("A walk through %s: nothing trains in it.", session_.model_source().c_str());
      ui::remember("walk note");
    } else {
      ImGui::TextWrapped("No training data: exploring %s. Run 'bash scripts/run.sh' to fetch MNIST.", session_.model_source().c_str());
      ui::remember("no data note");
    }
  }
  draw_training_controls(status);
  draw_checkpoint_controls(status);
  ImGui::Text("device %s   step %llu   %.0f steps/s", status.backend.c_str(),
              static_cast<unsigned long long>(status.step), status.steps_per_second);
  draw_message(status);
  ImGui::PopItemWidth();
  ImGui::Separator();
  draw_charts(status.has_data, comparison);
}

void TrainTab::draw_training_controls(const LiveStatus& status) {
  LiveControls controls = session_.trainer().controls();
  ImGui::BeginDisabled(!status.has_data);
  if (ui::button(controls.running ? "Pause (space)" : "Play (space)", "start or stop training (the space bar does the same)")) {
    acted();
    session_.trainer().set_running(!controls.running);
  }
  ImGui::SameLine();
  if (ui::button("Step", "one training step of both networks (even while paused)")) {
    acted();
    session_.trainer().request_steps(1, Update::kBoth);
  }
  ImGui::SameLine();
  if (ui::button("Step D", "one step of the discriminator alone; the generator stays as it is")) {
    acted();
    session_.trainer().request_steps(1, Update::kDiscriminator);
  }
  ImGui::SameLine();
  if (ui::button("Step G", "one step of the generator alone; the discriminator stays as it is")) {
    acted();
    session_.trainer().request_steps(1, Update::kGenerator);
  }
  bool schedule_changed = ui::checkbox("k D steps per G step", &controls.schedule.alternate,
                                       "alternate: k discriminator steps, then one generator step (off: both in every step, as the tutorial)");
  if (controls.schedule.alternate) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(60.0f, ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("k").x - 12));
    schedule_changed |= ui::slider_int("k", &controls.schedule.d_steps, 1, 10, "%d", "discriminator steps per generator step");
  }
  bool rates_changed = ui::log_slider("lr G", &controls.lr_g, kMinLearningRate, kMaxLearningRate,
                                     "the generator's Adam learning rate (the tutorial's 2e-4), logarithmic from 1e-5 to 1e-2");
  rates_changed |= ui::log_slider("lr D", &controls.lr_d, kMinLearningRate, kMaxLearningRate,
                                  "the discriminator's Adam learning rate (the tutorial's 2e-4), logarithmic from 1e-5 to 1e-2");
  const bool pace_changed = ui::slider_int("steps/frame", &controls.steps_per_frame, 0, 64,
                                           controls.steps_per_frame == 0 ? "as fast as possible" : "%d",
                                           "training steps per drawn frame; 0 trains as fast as the machine allows");
  ImGui::EndDisabled();
  if (schedule_changed || rates_changed || pace_changed) acted();
  if (schedule_changed) session_.trainer().set_schedule(controls.schedule);
  if (rates_changed) session_.trainer().set_learning_rates(controls.lr_g, controls.lr_d);
  if (pace_changed) session_.trainer().set_steps_per_frame(controls.steps_per_frame);
}

void TrainTab::draw_checkpoint_controls(const LiveStatus& status) {
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("0000000000").x + ImGui::GetFrameHeight() * 2);
  ui::input_int("seed", &reset_seed_, "the seed of the fresh weights that Reset weights draws");
  reset_seed_ = std::max(0, reset_seed_);
  ImGui::BeginDisabled(!status.has_data);
  if (ui::button("Reset weights...", status.has_data ? "start again from fresh weights (asks first; can be undone)"
                                                     : "nothing to train: without data, Reset would only lose the checkpoint")) {
    ImGui::OpenPopup(kResetPrompt);
    reset_preset_ = 0;  // the current model, until another is picked
    reset_loss_ = static_cast<int>(session_.snapshot().recipe.loss);
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!status.can_undo_reset && !status.can_undo_load);
  const bool load = status.can_undo_load;
  if (ui::button(load ? "Undo load" : "Undo reset",
                 load ? "bring back the weights, Adam state, step and charts from before the last load"
                      : "bring back the weights, Adam state, step and charts from before the last reset")) {
    acted();
    session_.trainer().undo();
  }
  ImGui::EndDisabled();
  draw_reset_prompt();
  if (ui::input_text("file", checkpoint_path_, sizeof(checkpoint_path_), "the checkpoint file that Load reads and Save writes")) {
    acted();
  }
  if (ui::button("Load", "load the weights and Adam state from the file (of this model or another; can be undone)")) {
    acted();
    session_.trainer().load(checkpoint_path_, session_.backend_maker());
  }
  ImGui::SameLine();
  if (ui::button("Save", "save the weights and Adam state to the file (written whole, never half)")) {
    try {
      create_parent_directories(checkpoint_path_);
    } catch (const std::exception&) {
      // the save fails too, and its message says why
    }
    acted();
    session_.trainer().save(checkpoint_path_);
  }
}

void TrainTab::draw_reset_prompt() {
  const ImGuiIO& io = ImGui::GetIO();
  // Centred when it opens, then still: its lines change with the choices, and the combos stay put.
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kResetPrompt, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::Text("Training starts again from fresh weights (seed %d).", reset_seed_);
  const bool same_model = draw_reset_model_choice();
  if (same_model) {
    ImGui::Text("The current weights and %llu steps are put aside: Undo reset brings them back.",
                static_cast<unsigned long long>(session_.trainer().status().step));
  } else {
    ImGui::TextUnformatted("Another model or objective: the current weights are not kept (Save them first).");
  }
  if (ui::button("Reset", "replace the weights now")) {
    acted();
    if (same_model) {
      session_.trainer().reset(static_cast<uint64_t>(reset_seed_));
    } else {
      reset_to_chosen_model();
    }
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ui::button("Cancel", "keep the weights") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

namespace {

constexpr const char* kLossLines[] = {
    "the tutorial's: G minimizes -log D(G(z)), strong gradients while D wins",
    "the original: G minimizes log(1 - D(G(z))); it stalls early when D wins, the lesson",
    "least squares on D's raw score: targets 1 for real, 0 for fake",
    "hinge: D pushes reals above 1 and fakes below -1; G raises D's score of its images"};

// A greyed line that wraps at the prompt's width instead of widening it, padded to the height of the
// tallest of `choices` (the lines it may show), so the controls below stay put as the choice changes.
void prompt_note(const char* text, const std::vector<const char*>& choices) {
  const float wrap = ImGui::GetFontSize() * 34.0f;
  float tallest = 0;
  for (const char* choice : choices) tallest = std::max(tallest, ImGui::CalcTextSize(choice, nullptr, false, wrap).y);
  const float top = ImGui::GetCursorPosY();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
  const float drawn = ImGui::GetCursorPosY() - top - ImGui::GetStyle().ItemSpacing.y;
  if (tallest > drawn) ImGui::SetCursorPosY(ImGui::GetCursorPosY() + tallest - drawn);
}

}  // namespace

// The model of the fresh weights: this one, or a preset, and the objective. Returns whether the
// choice keeps the current model and objective (then Reset keeps an undo).
bool TrainTab::draw_reset_model_choice() {
  std::vector<const char*> names = {"this model"};
  for (const Preset& p : presets()) names.push_back(p.name.c_str());
  ui::combo("model", &reset_preset_, names.data(), static_cast<int>(names.size()),
            "the model of the fresh weights: the one being trained, or a preset");
  std::vector<const char*> notes = {"the same widths, activation and conditioning as now"};
  for (const Preset& p : presets()) notes.push_back(p.description.c_str());
  prompt_note(notes[static_cast<size_t>(reset_preset_)], notes);
  static const char* const kLosses[] = {"nonsaturating", "minimax", "least-squares", "hinge"};
  ui::combo("loss", &reset_loss_, kLosses, 4, "the objective G and D train with");
  prompt_note(kLossLines[reset_loss_], std::vector<const char*>(std::begin(kLossLines), std::end(kLossLines)));
  return reset_preset_ == 0 && static_cast<Loss>(reset_loss_) == session_.snapshot().recipe.loss;
}

void TrainTab::reset_to_chosen_model() {
  ModelShape shape = session_.snapshot().shape;
  TrainingRecipe recipe = session_.snapshot().recipe;
  float lr = session_.trainer().controls().lr_g;
  if (reset_preset_ > 0) {
    const Preset& preset = presets()[static_cast<size_t>(reset_preset_ - 1)];
    shape = preset.shape;
    recipe = preset.recipe;
    lr = preset.lr;
  }
  recipe.loss = static_cast<Loss>(reset_loss_);
  session_.trainer().reset_model(shape, recipe, lr, static_cast<uint64_t>(reset_seed_), session_.backend_maker());
}

// The trainer's latest message, until the user does something that answers it.
void TrainTab::draw_message(const LiveStatus& status) {
  if (status.message.empty() || status.message_serial == hidden_message_) return;
  ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("dismiss").x - 16);
  ImGui::TextUnformatted(status.message.c_str());
  ImGui::PopTextWrapPos();
  ImGui::SameLine();
  if (ui::button("dismiss", "hide this message")) hidden_message_ = status.message_serial;
}

std::string TrainTab::visible_message() const {
  const LiveStatus status = session_.trainer().status();
  return status.message_serial == hidden_message_ ? "" : status.message;
}

// Called before the command a control sends, so the command's own answer shows.
void TrainTab::acted() { hidden_message_ = session_.trainer().status().message_serial; }

void TrainTab::draw_charts(bool has_data, const Comparison& comparison) {
  const MetricsHistory history = session_.trainer().history();
  const char* empty = has_data || session_.following() ? "no steps yet" : "not training: no data";
  if (!comparison.empty()) draw_legend(comparison);
  ui::checkbox("Log loss axes", &log_losses_, "logarithmic y axes for the two losses: early spikes and late drift both show");
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float height = std::max(28.0f, ImGui::GetContentRegionAvail().y / 4.0f - 2.0f * line - 4.0f);
  const ChartHover hovers[] = {
      line_chart("G loss", history.step, history.gen_loss, {0, 1, true, log_losses_}, height, empty, nullptr,
                 comparison.lines(&MetricsHistory::gen_loss)),
      line_chart("D loss", history.step, history.disc_loss, {0, 1, true, log_losses_}, height, empty, nullptr,
                 comparison.lines(&MetricsHistory::disc_loss)),
      line_chart("D(x)", history.step, history.d_real, {0, 1, false}, height, empty, nullptr,
                 comparison.lines(&MetricsHistory::d_real)),
      line_chart("D(G(z))", history.step, history.d_fake, {0, 1, false}, height, empty, nullptr,
                 comparison.lines(&MetricsHistory::d_fake))};
  chart_hover_ = ChartHover{};
  for (const ChartHover& hover : hovers) {
    if (hover.active) chart_hover_ = hover;
  }
}

// Which colour is which run, above the charts.
void TrainTab::draw_legend(const Comparison& comparison) {
  const auto entry = [](uint32_t colour, const std::string& name) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colour), "%s", name.c_str());
    ImGui::SameLine();
  };
  entry(chart_line_colour(), "this run");
  for (const auto& run : comparison.runs()) entry(run->colour, run->name);
  ImGui::NewLine();
  ui::remember("Chart legend");
}

}  // namespace ganvas
