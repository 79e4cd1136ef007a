// The GAN visualizer: the session it shows, the frame laid out (canvas left, panel column right),
// input routed to the canvas and the tabs, and the visualizer's settings in ImGui's layout file.
#include "gan/viz/gan_visualizer.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <utility>

#include "common/error.h"
#include "common/printable.h"
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

void check_config(const VizConfig& config) {
  if (config.scripted.lockstep && config.train && config.steps_per_frame < 1) {
    GANVAS_THROW("lockstep frames wait for their training steps, so they need steps_per_frame of 1 or more "
                 "(training as fast as possible never rests)");
  }
}

// Save and Load start from an absolute path, whatever folder the host runs in.
std::string checkpoint_file(const VizConfig& config) {
  return config.checkpoint.empty() ? user_data_file("visualizer.safetensors") : config.checkpoint;
}

}  // namespace

ShownRunSetup GanVisualizer::shown_setup(const std::string& run_dir, bool follow) const {
  ShownRunSetup setup;
  TrainerSetup& trainer = setup.session.trainer;
  trainer.data_dir = config_.data_dir;
  trainer.data_required = config_.data_required;
  trainer.dataset = config_.dataset;
  trainer.checkpoint = config_.checkpoint;
  trainer.preset = config_.preset;
  trainer.device = config_.device;
  trainer.seed = config_.seed;
  setup.session.grid = config_.grid;
  setup.session.strip = std::max(2, config_.strip);
  setup.session.run_dir = run_dir;
  setup.session.follow = follow;
  setup.checkpoint_file = checkpoint_file(config_);
  setup.walk = config_.scripted.walk;
  setup.output_dir = config_.output_dir;
  setup.data_dir = config_.data_dir;
  setup.dataset = config_.dataset;
  return setup;
}

GanVisualizer::GanVisualizer(VizConfig config)
    : config_((check_config(config), std::move(config))),
      shown_(std::make_unique<ShownRun>(shown_setup(config_.run.dir, config_.run.follow))),
      runs_tab_(runs_root(), !config_.run.program.empty()),
      run_upkeep_(config_.run.autosave_seconds) {
  for (const std::string& note : session().notes()) std::fprintf(stderr, "ganvas: %s\n", note.c_str());
  LiveTrainer& trainer = session().trainer();
  trainer.set_steps_per_frame(config_.steps_per_frame);
  trainer.set_running(config_.train && trainer.status().has_data);
  for (const std::string& dir : config_.run.compare) comparison_.add(dir, shown_setup("", false).session);
}

GanVisualizer::~GanVisualizer() = default;

void GanVisualizer::say_problem(const std::string& problem) {
  if (!problem.empty()) std::fprintf(stderr, "ganvas: %s\n", problem.c_str());
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
    loop_->max_fps = session().trainer().status().backend == "cpu" ? 30.0 : 0.0;
  }
  attach_shown();
  register_settings();  // last: a failed attach leaves no handler pointing at this visualizer
}

void GanVisualizer::attach_shown() {
  shown_->images = std::make_unique<SessionImages>(session(), config_.grid, config_.interop);
  const int side = std::max(config_.grid, 10);  // room for a conditional model's ten rows
  shown_->insight.attach(side * side, session().snapshot().shape.image);
}

void GanVisualizer::save_run() { say_problem(run_upkeep_.save(session())); }

void GanVisualizer::stop_and_save() {
  if (session().run_dir().empty() || session().following()) return;
  LiveTrainer& trainer = session().trainer();
  trainer.set_running(false);
  trainer.cancel_requested_steps();
  trainer.wait_idle();
  session().refresh();
  save_run();
}

void GanVisualizer::show_run(const std::string& dir, bool follow) {
  ShownRunSetup setup = shown_setup(dir, follow);
  setup.session.trainer.checkpoint.clear();  // the run's own weights
  auto next = std::make_unique<ShownRun>(setup);  // throws before anything of the run shown changes
  stop_and_save();
  const bool attached = shown_->images != nullptr;
  if (attached) shown_->insight.detach();
  shown_ = std::move(next);
  session().trainer().set_steps_per_frame(config_.steps_per_frame);
  if (attached) attach_shown();
}

void GanVisualizer::detach() {
  unregister_settings();
  // Every way out (a closed window, Esc, Ctrl+Q, a signal) detaches: training stops, and the run is
  // saved at the step shown last.
  stop_and_save();
  // A walk being written is finished now, while GL is current: quitting loses no export.
  if (shown_->images) shown_->explore.run_exports(*shown_->images, view_tab_.inverted(), std::chrono::hours(1));
  shown_->images.reset();
  shown_->insight.detach();
  canvas_.detach();
  context_ = nullptr;
  loop_ = nullptr;
}

void GanVisualizer::update(const FrameInfo& frame) {
  const float scale = context_ ? context_->content_scale() : 1.0f;
  const float panel_width = panel_column_width(static_cast<float>(frame.framebuffer.width), scale);
  LiveTrainer& trainer = session().trainer();
  trainer.frame_tick();
  // This frame shows exactly its steps. Training without a per-frame budget never rests, so a
  // lockstep frame waits only while there is one.
  const LiveControls controls = trainer.controls();
  if (config_.scripted.lockstep && !(controls.running && controls.steps_per_frame == 0)) trainer.wait_idle();
  say_problem(run_upkeep_.update(session(), frame.time));
  session().refresh();
  LatentExplorer& explorer = session().explorer();
  if (config_.scripted.walk) explorer.walk_on(frame.delta);
  explorer.advance(frame.delta, frame.frame);
  comparison_.update(session(), frame.time);
  canvas_.lay_out(frame.framebuffer, panel_width, scale, explorer.strip(), 1 + static_cast<int>(comparison_.runs().size()));
  const bool dragging = ImGui::GetCurrentContext() && ImGui::IsAnyItemActive();
  shown_->analysis.update(session(), frame.time, dragging);
  shown_->insight.update(session(), frame.time, tab_ == PanelTab::kInsight || shown_->insight.overlay_on(),
                         controls.running);
}

void GanVisualizer::render(const FrameInfo& frame) {
  const gl::StateGuard keep;  // the host finds its GL state as it left it
  SessionImages& images = *shown_->images;
  images.refresh(session());  // new weights, another grid, or the explorer moved
  const InsightPanel& insight = shown_->insight;
  const bool tinted = insight.overlay_shown(session().grid_revision());
  const Canvas::Tint tint{tinted ? insight.overlay_buffer() : 0, tinted ? insight.overlay_scale() : 0.0f};
  comparison_.refresh_images(config_.grid);
  canvas_.draw(frame, session(), images, view_tab_.inverted(), tint, comparison_);
  if (frame.canvas_only) return;
  shown_->explore.run_exports(images, view_tab_.inverted(), std::chrono::milliseconds(25));
  view_tab_.count_frame(frame.delta);
}

// Keys: space toggles training, F fits the canvas to the window, F1 shows the shortcuts. The
// pointer over the canvas: zoom, pan, anchors, and a tooltip with D's score of the cell under it.
void GanVisualizer::handle_input() {
  const ImGuiIO& io = ImGui::GetIO();
  LiveTrainer& trainer = session().trainer();
  if (!io.WantCaptureKeyboard) {
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false) && trainer.status().has_data) {
      shown_->train.acted();
      trainer.set_running(!trainer.controls().running);
    }
    if (ImGui::IsKeyPressed(kKeyF, false)) canvas_.view().fit();
    if (ImGui::IsKeyPressed(kKeyF1, false)) shortcuts_open_ = !shortcuts_open_;
  }
  if (io.WantCaptureMouse) return;
  if (const int cell = canvas_.handle_pointer(io, session()); cell >= 0) grid_tooltip(cell);
}

void GanVisualizer::grid_tooltip(int cell) {
  const std::optional<float> score = shown_->analysis.grid_score(session(), cell);
  char verdict[64] = "D(G(z)) being computed";
  if (score) std::snprintf(verdict, sizeof(verdict), "D(G(z)) = %.3f (D's belief that it is real)", static_cast<double>(*score));
  ImGui::SetTooltip("cell %d: %s\nleft click: anchor A, right click: anchor B\nwheel: zoom, drag: pan, F: fit", cell,
                    verdict);
}

void GanVisualizer::draw_panels(const FrameInfo& frame) {
  handle_input();
  // ImGui places windows in its own units; the canvas layout uses framebuffer pixels.
  const ImGuiIO& io = ImGui::GetIO();
  const float to_ui = io.DisplayFramebufferScale.x > 0 ? 1.0f / io.DisplayFramebufferScale.x : 1.0f;
  const float width = canvas_.panel_width() * to_ui;
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - width, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(width, io.DisplaySize.y), ImGuiCond_Always);
  ImGui::Begin("ganvas", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  draw_tabs(frame);
  ImGui::End();
  draw_shortcuts_window(&shortcuts_open_);
}

void GanVisualizer::draw_tabs(const FrameInfo& frame) {
  if (!ImGui::BeginTabBar("tabs")) return;
  const bool select = std::exchange(select_tab_, false);
  const PanelTab wanted = tab_;  // the tab the settings restored, selected once
  const auto open = [&](PanelTab tab, const char* label, const char* tip) {
    if (!ui::tab(label, tip, select && wanted == tab)) return false;
    tab_ = tab;
    return true;
  };
  if (open(PanelTab::kTrain, "Train", "training: play, pause, steps, learning rates, checkpoints, charts")) {
    shown_->train.draw(comparison_);
    ImGui::EndTabItem();
  }
  if (open(PanelTab::kExplore, "Explore", "the latent explorer: anchors, interpolation, principal directions, every dimension")) {
    shown_->explore.draw();
    ImGui::EndTabItem();
  }
  if (open(PanelTab::kView, "View", "display: colours, frame rate against training speed, performance")) {
    view_tab_.draw(session(), canvas_.view(), image_path(), context_, loop_);
    ImGui::EndTabItem();
  }
  if (open(PanelTab::kInsight, "Insight",
           "why training goes well or badly: quality over training, real against fake, D's landscape, "
           "the gradient G receives, the networks' norms")) {
    shown_->insight.draw(session(), view_tab_.inverted(), comparison_);
    ImGui::EndTabItem();
  }
  if (open(PanelTab::kRuns, "Runs", "the runs kept in the runs folder: open, follow, rename, delete")) {
    draw_runs_tab(frame.time);
    ImGui::EndTabItem();
  }
  // At the bar's right end: it takes no row from the tabs, which fill the column's height.
  if (ImGui::TabItemButton("?", ImGuiTabItemFlags_Trailing)) shortcuts_open_ = !shortcuts_open_;
  ui::tooltip("Shortcuts (F1): every key and mouse action of the window");
  ui::remember("?");
  ImGui::EndTabBar();
}

// The Runs tab; the run it asks for is shown from the next frame on.
void GanVisualizer::draw_runs_tab(double time) {
  using Kind = RunsTab::Request::Kind;
  const RunsTab::Request request = runs_tab_.draw(session(), time, comparison_);
  try {
    switch (request.kind) {
      case Kind::kNone:
        return;
      case Kind::kOpen:
      case Kind::kFollow:
        show_run(request.dir, request.kind == Kind::kFollow);
        runs_tab_.say((request.kind == Kind::kFollow ? "following " : "opened ") + shown_path(request.dir));
        return;
      case Kind::kCompare:
        comparison_.add(request.dir, shown_setup("", false).session);
        runs_tab_.say("comparing with " + shown_path(request.dir));
        return;
      case Kind::kStopComparing:
        comparison_.clear();
        runs_tab_.say("");
        return;
      case Kind::kFork:
        fork_run(request.fork);
        return;
    }
  } catch (const std::exception& e) {
    runs_tab_.say(one_line_message(e.what(), 500));
  }
}

// A variant of the run shown, trained by a ganvas train process into a folder beside its own, and
// compared with it from then on.
void GanVisualizer::fork_run(const ForkPlan& plan) {
  const ForkSetting& setting = fork_settings().at(static_cast<size_t>(plan.setting));
  std::string label = std::string(setting.option).substr(2) + "-";
  for (char c : plan.value) label += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ? c : '_';
  const std::string base = (session().run_dir().empty() ? runs_root() + "/run" : session().run_dir()) + "-" + label;
  std::string dir = base;
  for (int n = 2; std::filesystem::exists(std::filesystem::symlink_status(dir)); ++n) dir = base + "-" + std::to_string(n);
  std::filesystem::create_directories(dir);
  std::string start;
  if (plan.from_weights) {
    start = run_checkpoint(dir);  // the fork's own checkpoint, which it resumes and goes on writing
    session().trainer().save_with_step(start).get();
  }
  std::vector<std::string> options = fork_options(session(), plan, dir, start, config_.seed);
  options.insert(options.end(), {"--data-dir", config_.data_dir, "--dataset", dataset_name(config_.dataset), "--device",
                                 device_name(config_.device)});
  forked_.start(config_.run.program, options, dir + "/train.log");
  comparison_.add(dir, shown_setup("", false).session);
  runs_tab_.say("forked into " + shown_path(dir) + " (" + setting.name + " " + plan.value + "); its output is in train.log");
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
    if (std::sscanf(line, "Tab=%d", &value) == 1 && value >= 0 && value <= static_cast<int>(PanelTab::kRuns)) {
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
