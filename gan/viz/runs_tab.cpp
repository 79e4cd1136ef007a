// The Runs tab: the list, and open, follow, rename and delete.
#include "gan/viz/runs_tab.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "common/printable.h"
#include "engine/widgets.h"
#include "gan/session/run_folder.h"

namespace ganvas {
namespace {

constexpr double kListInterval = 2.0;  // seconds between readings of the runs folder
constexpr const char* kDeletePrompt = "Delete the run?";
constexpr const char* kForkPrompt = "Fork this run";

bool same_folder(const std::string& a, const std::string& b) {
  std::error_code error;
  return !a.empty() && !b.empty() && std::filesystem::equivalent(a, b, error);
}

// "GAN 100-256-784" as "100-256-784", "conditional GAN 110-512-784" as "cGAN 110-512-784".
std::string short_model(const std::string& model) {
  const std::string conditional = "conditional GAN ", plain = "GAN ";
  if (model.rfind(conditional, 0) == 0) return "cGAN " + model.substr(conditional.size());
  if (model.rfind(plain, 0) == 0) return model.substr(plain.size());
  return model;
}

// run.json's "2026-12-08T01:34:14Z" as "12-08 01:34" (UTC).
std::string short_time(const std::string& utc) {
  if (utc.size() < 16) return utc;
  return utc.substr(5, 5) + " " + utc.substr(11, 5);
}

}  // namespace

void RunsTab::list_again(const Session& shown) {
  const std::string selected = selected_ >= 0 && selected_ < static_cast<int>(runs_.size()) ? runs_[selected_].dir : "";
  runs_ = root_.empty() ? std::vector<RunSummary>{} : list_runs(root_);
  const std::string& own = shown.run_dir();
  const bool listed = std::any_of(runs_.begin(), runs_.end(), [&](const RunSummary& r) { return same_folder(r.dir, own); });
  if (!own.empty() && holds_run(own) && !listed) runs_.insert(runs_.begin(), summarize_run(own));
  selected_ = -1;
  for (size_t i = 0; i < runs_.size(); ++i) {
    if (runs_[i].dir == selected) selected_ = static_cast<int>(i);
  }
}

RunsTab::Request RunsTab::draw(const Session& shown, double time, const Comparison& comparison) {
  if (time - listed_at_ >= kListInterval) {
    list_again(shown);
    listed_at_ = time;
  }
  ImGui::TextWrapped("Runs in %s", root_.empty() ? "(no runs folder: neither XDG_DATA_HOME nor HOME is set)" : shown_path(root_).c_str());
  ui::tooltip("each run is a folder: run.json, checkpoint.safetensors, metrics.csv; the window saves its own run "
              "every few minutes and when it closes");
  draw_table(shown);
  Request request = draw_actions(shown, comparison);
  if (!comparison.empty()) {
    const Request stop = draw_comparison(shown, comparison);
    if (stop.kind != Request::Kind::kNone) request = stop;
  }
  if (!message_.empty()) {
    ImGui::TextWrapped("%s", message_.c_str());
    ui::remember("Runs message");
  }
  if (request.kind != Request::Kind::kNone) listed_at_ = -1e9;  // the list changes with the run shown
  return request;
}

void RunsTab::draw_table(const Session& shown) {
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY;
  const float height = std::min(ImGui::GetContentRegionAvail().y * 0.6f,
                                ImGui::GetTextLineHeightWithSpacing() * static_cast<float>(runs_.size() + 2));
  if (!ImGui::BeginTable("runs", 5, flags, ImVec2(0, std::max(height, ImGui::GetTextLineHeightWithSpacing() * 3)))) return;
  ImGui::TableSetupColumn("run");
  ImGui::TableSetupColumn("model", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn("FID", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn("changed", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableHeadersRow();
  for (size_t i = 0; i < runs_.size(); ++i) {
    const RunSummary& run = runs_[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string label = run.name + (same_folder(run.dir, shown.run_dir()) ? " (shown)" : "");
    if (ImGui::Selectable(label.c_str(), selected_ == static_cast<int>(i))) {
      selected_ = static_cast<int>(i);
      std::snprintf(new_name_, sizeof(new_name_), "%s", run.name.c_str());
    }
    ui::remember(("run " + run.name).c_str());
    ui::tooltip((run.model + "\n" + shown_path(run.dir)).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(short_model(run.model).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(run.step));
    ImGui::TableNextColumn();
    if (run.fid) ImGui::Text("%.1f", *run.fid); else ImGui::TextDisabled("-");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(short_time(run.updated).c_str());
  }
  ImGui::EndTable();
}

RunsTab::Request RunsTab::draw_actions(const Session& shown, const Comparison& comparison) {
  Request request;
  const bool chosen = selected_ >= 0 && selected_ < static_cast<int>(runs_.size());
  const bool is_shown = chosen && same_folder(runs_[selected_].dir, shown.run_dir());
  ImGui::BeginDisabled(!chosen || is_shown);
  if (ui::button("Open", "go on with the selected run here: its weights, Adam's state, step and charts (this run is saved first)")) {
    request = {Request::Kind::kOpen, runs_[selected_].dir, {}};
  }
  ImGui::SameLine();
  if (ui::button("Follow", "show the selected run while another process trains it, each checkpoint as it is written")) {
    request = {Request::Kind::kFollow, runs_[selected_].dir, {}};
  }
  ImGui::SameLine();
  if (ui::button("Delete...", "delete the selected run's files (asks first)")) ImGui::OpenPopup(kDeletePrompt);
  ImGui::SameLine();
  ImGui::BeginDisabled(comparison.runs().size() >= Comparison::kMostRuns);
  if (ui::button("Compare", "show the selected run beside this one: its grid from the same latents, its losses over "
                            "the Train tab's charts, its scores in a table (up to three runs)")) {
    request = {Request::Kind::kCompare, runs_[selected_].dir, {}};
  }
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!can_fork_ || comparison.runs().size() >= Comparison::kMostRuns);
  if (ui::button("Fork...", can_fork_ ? "a variant of the run shown with one setting changed, trained by a ganvas train "
                                        "process of its own beside this run and compared with it"
                                      : "forks are trained by the ganvas program, which this host is not")) {
    ImGui::OpenPopup(kForkPrompt);
  }
  ImGui::EndDisabled();
  if (chosen) draw_rename(runs_[selected_]);
  draw_delete_prompt();
  const Request fork = draw_fork_prompt();
  return fork.kind == Request::Kind::kNone ? request : fork;
}

// The runs compared: step, speed over the latest checkpoints, latest FID and digit coverage.
RunsTab::Request RunsTab::draw_comparison(const Session& shown, const Comparison& comparison) {
  Request request;
  ImGui::Separator();
  const auto row = [](uint32_t colour, const std::string& name, const Session& session, double rate) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colour), "%s", name.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%llu", static_cast<unsigned long long>(session.snapshot().step));
    ImGui::TableNextColumn();
    if (rate > 0) ImGui::Text("%.0f", rate); else ImGui::TextDisabled("-");
    const std::vector<QualityPoint>& quality = session.history().quality();
    ImGui::TableNextColumn();
    if (quality.empty()) ImGui::TextDisabled("-"); else ImGui::Text("%.1f", quality.back().scores.fid);
    ImGui::TableNextColumn();
    if (quality.empty()) ImGui::TextDisabled("-"); else ImGui::Text("%.2f", quality.back().scores.coverage.entropy_bits);
  };
  if (ImGui::BeginTable("compared", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
    for (const char* column : {"compared", "step", "steps/s", "FID", "bits"}) ImGui::TableSetupColumn(column);
    ImGui::TableHeadersRow();
    row(chart_line_colour(), "this run", shown, shown.trainer().status().steps_per_second);
    for (const auto& run : comparison.runs()) row(run->colour, run->name, *run->session, run->rate);
    ImGui::EndTable();
  }
  ui::remember("Compared runs");
  ui::tooltip("FID: lower is better; bits: digit coverage, 3.32 when all ten digits are drawn equally often. "
              "A run's speed is its steps between the checkpoints it wrote");
  if (ui::button("Stop comparing", "show this run alone again")) request.kind = Request::Kind::kStopComparing;
  return request;
}

RunsTab::Request RunsTab::draw_fork_prompt() {
  Request request;
  if (!ImGui::BeginPopupModal(kForkPrompt, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return request;
  std::vector<const char*> names;
  for (const ForkSetting& setting : fork_settings()) names.push_back(setting.name);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  ui::combo("change", &fork_.setting, names.data(), static_cast<int>(names.size()), "the one setting the fork trains with otherwise");
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  ui::input_text("new value", fork_value_, sizeof(fork_value_),
                 "as ganvas train takes it: 0.001, minimax, clean-digits, 512, 0.1, 0.999, 7 ...");
  const bool keeps = fork_settings()[static_cast<size_t>(fork_.setting)].keeps_weights;
  if (!keeps) fork_.from_weights = false;
  ImGui::BeginDisabled(!keeps);
  ui::checkbox("from its current weights", &fork_.from_weights,
               "go on from this run's weights and Adam state (learning rates and batch); other changes start from scratch");
  ImGui::EndDisabled();
  if (ui::button("Fork", "start the variant now, beside this run")) {
    fork_.value = fork_value_;
    request.kind = Request::Kind::kFork;
    request.fork = fork_;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ui::button("Cancel", "no fork") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
  return request;
}

void RunsTab::draw_rename(const RunSummary& run) {
  ui::input_text("name", new_name_, sizeof(new_name_), "the selected run's folder name");
  ImGui::SameLine();
  if (!ui::button("Rename", "give the selected run's folder the name in the field")) return;
  try {
    const std::string renamed = rename_run(run.dir, new_name_);
    message_ = "renamed to " + shown_path(renamed);
    listed_at_ = -1e9;
  } catch (const std::exception& e) {
    message_ = one_line_message(e.what(), 500);
  }
}

void RunsTab::draw_delete_prompt() {
  if (!ImGui::BeginPopupModal(kDeletePrompt, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  const RunSummary& run = runs_[static_cast<size_t>(selected_)];
  ImGui::Text("Delete %s (step %llu)? Its checkpoint and history are gone for good.", run.name.c_str(),
              static_cast<unsigned long long>(run.step));
  if (ui::button("Delete", "delete the run's files now")) {
    try {
      const std::vector<std::string> left = delete_run(run.dir);
      message_ = left.empty() ? "deleted " + shown_path(run.dir)
                              : "deleted the run's files; kept " + std::to_string(left.size()) + " other file(s) in " +
                                    shown_path(run.dir);
    } catch (const std::exception& e) {
      message_ = one_line_message(e.what(), 500);
    }
    listed_at_ = -1e9;
    selected_ = -1;
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ui::button("Keep", "keep the run") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

}  // namespace ganvas
