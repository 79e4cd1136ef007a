// The GAN visualizer: the session it shows, the frame laid out (canvas left, panel column right),
// input routed to the canvas and the tabs, and the visualizer's settings in ImGui's layout file.
#include "gan/viz/gan_visualizer.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "common/error.h"
#include "common/user_dirs.h"
#include "engine/gl.h"
#include "engine/gl_state.h"
#include "engine/imgui_layer.h"
#include "engine/widgets.h"
#include "gan/viz/shortcuts.h"

namespace ganvas {
namespace {

constexpr int kKeyF = 70;    // GLFW_KEY_F: ImGui's keys are the window's key codes
constexpr int kKeyF1 = 290;  // GLFW_KEY_F1
constexpr const char* kSettingsType = "Ganvas";

std::unique_ptr<Session> start_session(const VizConfig& config) {
  if (config.scripted.lockstep && config.train && config.steps_per_frame < 1) {
    GANVAS_THROW("lockstep frames wait for their training steps, so they need steps_per_frame of 1 or more "
                 "(training as fast as possible never rests)");
  }
  SessionConfig session;
  session.trainer.data_dir = config.data_dir;
  session.trainer.data_required = config.data_required;
  session.trainer.dataset = config.dataset;
  session.trainer.checkpoint = config.checkpoint;
  session.trainer.preset = config.preset;
  session.trainer.device = config.device;
  session.trainer.seed = config.seed;
  session.grid = config.grid;
  session.strip = std::max(2, config.strip);
  session.run_dir = config.run.dir;
  session.follow = config.run.follow;
  auto started = std::make_unique<Session>(session);
  for (const std::string& note : started->notes()) std::fprintf(stderr, "ganvas: %s\n", note.c_str());
  return started;
}

// Save and Load start from an absolute path, whatever folder the host runs in.
std::string checkpoint_file(const VizConfig& config) {
  return config.checkpoint.empty() ? user_data_file("visualizer.safetensors") : config.checkpoint;
}

}  // namespace

GanVisualizer::GanVisualizer(VizConfig config)
    : config_(std::move(config)),
      session_(start_session(config_)),
      train_tab_(*session_, checkpoint_file(config_), config_.scripted.walk),
      explore_tab_(*session_, config_.output_dir),
      insight_(config_.run.follow || session_->trainer().status().has_data ? config_.data_dir : "", config_.dataset),
      run_upkeep_(config_.run.autosave_seconds) {
  start_training();
}

GanVisualizer::~GanVisualizer() = default;

void GanVisualizer::start_training() {
  LiveTrainer& trainer = session_->trainer();
  trainer.set_steps_per_frame(config_.steps_per_frame);
  trainer.set_running(config_.train && trainer.status().has_data);
}

void GanVisualizer::attach(const PluginHost& host) {
  // A plugin module has its own glad and Dear ImGui: point both at the host's.
  gl::load(host.gl_loader);
  ImGui::SetCurrentContext(static_cast<ImGuiContext*>(host.imgui_context));
  context_ = host.context;
  loop_ = host.loop;
  canvas_.attach(host.draw_overlay);
  if (loop_ && loop_->max_fps < 0) {
    // Training on the CPU shares its cores with rendering: 30 frames a second leave it most of them.
    loop_->max_fps = session_->trainer().status().backend == "cpu" ? 30.0 : 0.0;
  }
  images_ = std::make_unique<SessionImages>(*session_, config_.grid, config_.interop);
  const int side = std::max(config_.grid, 10);  // room for a conditional model's ten rows
  insight_.attach(side * side, session_->snapshot().shape.image);
  register_settings();  // last: a failed attach leaves no handler pointing at this visualizer
}

void GanVisualizer::save_run() { run_upkeep_.save(*session_); }

void GanVisualizer::detach() {
  unregister_settings();
  if (!session_->run_dir().empty() && !session_->following()) {
    // Every way out (a closed window, Esc, Ctrl+Q, a signal) detaches: training stops, and the run is
    // saved at the step shown last.
    session_->trainer().set_running(false);
    session_->trainer().cancel_requested_steps();
    session_->trainer().wait_idle();
    session_->refresh();
    save_run();
  }
  // A walk being written is finished now, while GL is current: quitting loses no export.
  if (images_) explore_tab_.run_exports(*images_, view_tab_.inverted(), std::chrono::hours(1));
  images_.reset();
  insight_.detach();
  canvas_.detach();
  context_ = nullptr;
  loop_ = nullptr;
}

void GanVisualizer::update(const FrameInfo& frame) {
  const float scale = context_ ? context_->content_scale() : 1.0f;
  const float panel_width = panel_column_width(static_cast<float>(frame.framebuffer.width), scale);
  LiveTrainer& trainer = session_->trainer();
  trainer.frame_tick();
  // This frame shows exactly its steps. Training without a per-frame budget never rests, so a
  // lockstep frame waits only while there is one.
  const LiveControls controls = trainer.controls();
  if (config_.scripted.lockstep && !(controls.running && controls.steps_per_frame == 0)) trainer.wait_idle();
  run_upkeep_.update(*session_, frame.time);
  session_->refresh();
  LatentExplorer& explorer = session_->explorer();
  if (config_.scripted.walk) explorer.walk_on(frame.delta);
  explorer.advance(frame.delta, frame.frame);
  canvas_.lay_out(frame.framebuffer, panel_width, scale, explorer.strip());
  const bool dragging = ImGui::GetCurrentContext() && ImGui::IsAnyItemActive();
  analysis_.update(*session_, frame.time, dragging);
  insight_.update(*session_, frame.time, tab_ == PanelTab::kInsight || insight_.overlay_on(), controls.running);
}

void GanVisualizer::render(const FrameInfo& frame) {
  const gl::StateGuard keep;  // the host finds its GL state as it left it
  images_->refresh(*session_);  // new weights, another grid, or the explorer moved
  const bool tinted = insight_.overlay_shown(session_->grid_revision());
  const Canvas::Tint tint{tinted ? insight_.overlay_buffer() : 0, tinted ? insight_.overlay_scale() : 0.0f};
  canvas_.draw(frame, *session_, *images_, view_tab_.inverted(), tint);
  if (frame.canvas_only) return;
  explore_tab_.run_exports(*images_, view_tab_.inverted(), std::chrono::milliseconds(25));
  view_tab_.count_frame(frame.delta);
}

// Keys: space toggles training, F fits the canvas to the window, F1 shows the shortcuts. The
// pointer over the canvas: zoom, pan, anchors, and a tooltip with D's score of the cell under it.
void GanVisualizer::handle_input() {
  const ImGuiIO& io = ImGui::GetIO();
  LiveTrainer& trainer = session_->trainer();
  if (!io.WantCaptureKeyboard) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false) && trainer.status().has_data) {
      train_tab_.acted();
      trainer.set_running(!trainer.controls().running);
    }
    if (ImGui::IsKeyPressed(kKeyF, false)) canvas_.view().fit();
    if (ImGui::IsKeyPressed(kKeyF1, false)) shortcuts_open_ = !shortcuts_open_;
  }
  if (io.WantCaptureMouse) return;
  if (const int cell = canvas_.handle_pointer(io, *session_); cell >= 0) grid_tooltip(cell);
}

void GanVisualizer::grid_tooltip(int cell) {
  const std::optional<float> score = analysis_.grid_score(*session_, cell);
  char verdict[64] = "D(G(z)) being computed";
  if (score) std::snprintf(verdict, sizeof(verdict), "D(G(z)) = %.3f (D's belief that it is real)", static_cast<double>(*score));
  ImGui::SetTooltip("cell %d: %s\nleft click: anchor A, right click: anchor B\nwheel: zoom, drag: pan, F: fit", cell,
                    verdict);
}

void GanVisualizer::draw_panels(const FrameInfo&) {
  handle_input();
  // ImGui places windows in its own units; the canvas layout uses framebuffer pixels.
  const ImGuiIO& io = ImGui::GetIO();
  const float to_ui = io.DisplayFramebufferScale.x > 0 ? 1.0f / io.DisplayFramebufferScale.x : 1.0f;
  const float width = canvas_.panel_width() * to_ui;
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - width, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(width, io.DisplaySize.y), ImGuiCond_Always);
  ImGui::Begin("ganvas", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  draw_tabs();
  ImGui::End();
  draw_shortcuts_window(&shortcuts_open_);
}

void GanVisualizer::draw_tabs() {
  if (!ImGui::BeginTabBar("tabs")) return;
  const bool select = std::exchange(select_tab_, false);
  const PanelTab wanted = tab_;  // the tab the settings restored, selected once
  const auto open = [&](PanelTab tab, const char* label, const char* tip) {
    if (!ui::tab(label, tip, select && wanted == tab)) return false;
    tab_ = tab;
    return true;
  };
  if (open(PanelTab::kTrain, "Train", "training: play, pause, steps, learning rates, checkpoints, charts")) {
    train_tab_.draw();
    ImGui::EndTabItem();
  }
  if (open(PanelTab::kExplore, "Explore", "the latent explorer: anchors, interpolation, principal directions, every dimension")) {
    explore_tab_.draw();
    ImGui::EndTabItem();
  }
  if (open(PanelTab::kView, "View", "display: colours, frame rate against training speed, performance")) {
    view_tab_.draw(*session_, canvas_.view(), image_path(), context_, loop_);
    ImGui::EndTabItem();
  }
  if (open(PanelTab::kInsight, "Insight",
           "why training goes well or badly: quality over training, real against fake, D's landscape, "
           "the gradient G receives, the networks' norms")) {
    insight_.draw(*session_, view_tab_.inverted());
    ImGui::EndTabItem();
  }
  // At the bar's right end: it takes no row from the tabs, which fill the column's height.
  if (ImGui::TabItemButton("?", ImGuiTabItemFlags_Trailing)) shortcuts_open_ = !shortcuts_open_;
  ui::tooltip("Shortcuts (F1): every key and mouse action of the window");
  ui::remember("?");
  ImGui::EndTabBar();
}

// "[Ganvas][Visualizer]" in the layout file: the selected tab and the colours.
void GanVisualizer::register_settings() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  const ImGuiID type = ImHashStr(kSettingsType);
  for (const ImGuiSettingsHandler& handler : g.SettingsHandlers) {
    if (handler.TypeHash == type) return;  // one visualizer per ImGui context
  }
  ImGuiSettingsHandler handler;
  handler.TypeName = kSettingsType;
  handler.TypeHash = type;
  handler.UserData = this;
  handler.ReadOpenFn = [](ImGuiContext*, ImGuiSettingsHandler* h, const char* name) -> void* {
    return std::string(name) == "Visualizer" ? h->UserData : nullptr;
  };
  handler.ReadLineFn = [](ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
    auto* viz = static_cast<GanVisualizer*>(entry);
    int value = 0;
    if (std::sscanf(line, "Tab=%d", &value) == 1 && value >= 0 && value <= 3) {
      viz->tab_ = static_cast<PanelTab>(value);
      viz->select_tab_ = true;
    } else if (std::sscanf(line, "Invert=%d", &value) == 1) {
      viz->view_tab_.set_inverted(value != 0);
    }
  };
  handler.WriteAllFn = [](ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* out) {
    const auto* viz = static_cast<const GanVisualizer*>(h->UserData);
    out->appendf("[%s][Visualizer]\nTab=%d\nInvert=%d\n\n", h->TypeName, static_cast<int>(viz->tab_), viz->view_tab_.inverted() ? 1 : 0);
  };
  g.SettingsHandlers.push_back(handler);
}

void GanVisualizer::unregister_settings() { remove_settings_handler(this); }

}  // namespace ganvas
