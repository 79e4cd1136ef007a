// The GAN visualizer plugin: one run (a Session) shown live, a digit grid and a latent-space explorer
// redrawn every frame, steered from Dear ImGui panels. The visualizer lays the frame out and routes
// input; the canvas and each tab are classes of their own, reading and commanding the session.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/plugin.h"
#include "gan/backends/backend_factory.h"
#include "gan/io/dataset.h"
#include "gan/viz/canvas.h"
#include "gan/viz/comparison.h"
#include "gan/viz/forked_runs.h"
#include "gan/session/run_upkeep.h"
#include "gan/viz/runs_tab.h"
#include "gan/viz/shown_run.h"
#include "gan/viz/view_tab.h"

namespace ganvas {

// How the visualizer starts. Typed; text ("key=value" lines) only across the plugin boundary, where a
// plugin module receives it.
struct VizConfig {
  std::string data_dir;    // the data set's IDX files; empty: no data, the model is explored only
  bool data_required = false;  // data that cannot be read is an error (the user named it), not a note
  DatasetKind dataset = DatasetKind::kMnist;
  std::string checkpoint;  // start from this file; with no data, defaults to the bundled one
  std::string preset = "tutorial";  // the model and objective of fresh weights (gan/presets.h)
  Device device = Device::kAuto;
  uint64_t seed = 0;
  bool train = true;       // start training at once (when data is there)
  int grid = 6;
  int strip = 8;
  bool interop = true;     // CUDA-GL interop when training on CUDA with NVIDIA's GL
  int steps_per_frame = 0; // 0: as fast as possible
  // Scripted recordings (ganvas record): the explorer walks on through random anchors; each frame
  // waits for its training steps.
  struct Scripted {
    bool walk = false;
    bool lockstep = false;
  } scripted;
  // Where the Explore tab's exports go: the Recording panel's folder. Not in the text form: a plugin
  // module exports into out/, as the host's Recording panel records into it.
  std::string output_dir = "out";
  // The run folder (gan/session/run_folder.h): reopened when it holds a run, else this run's, saved
  // every `autosave_seconds` of training and when the visualizer detaches; dir "" : none.
  struct Run {
    std::string dir;
    bool follow = false;  // show the run another process trains in dir
    double autosave_seconds = 300;
    std::vector<std::string> compare;  // run folders shown beside it (Comparison, at most three)
    std::string program;  // the ganvas program that trains forks ("" : no forks, e.g. in a plugin host)
  } run;

  static VizConfig parse(const std::string& text);
  std::string to_text() const;
};

// The panel column's tabs.
enum class PanelTab { kTrain = 0, kExplore = 1, kView = 2, kInsight = 3, kRuns = 4 };

class GanVisualizer final : public Plugin {
 public:
  explicit GanVisualizer(VizConfig config);
  ~GanVisualizer() override;

  const char* name() const override { return "ganvas GAN visualizer"; }
  void attach(const PluginHost& host) override;
  void update(const FrameInfo& frame) override;
  void render(const FrameInfo& frame) override;
  void draw_panels(const FrameInfo& frame) override;
  // All of the framebuffer left of the panel column.
  Area canvas_area(const FrameInfo& frame) const override {
    return {0, 0, static_cast<float>(frame.framebuffer.width) - canvas_.panel_width(),
            static_cast<float>(frame.framebuffer.height)};
  }
  void detach() override;

  // The run shown: its trainer, snapshot, grid, explorer and history.
  Session& session() { return *shown_->session; }
  const Session& session() const { return *shown_->session; }
  // "CUDA-GL interop (zero copy)" or "CPU upload (why)" (once attached).
  std::string image_path() const { return shown_->images ? shown_->images->path() : "CPU upload"; }
  // Where the canvas is drawn in the latest frame (framebuffer pixels, zoom and pan applied).
  const CanvasLayout& canvas() const { return canvas_.on_screen(); }
  // The shown run's grid (tile 0), or compared run i's (tile i + 1).
  PixelRect grid_rect(int tile = 0) const { return canvas_.tile_on_screen(tile); }
  const CanvasView& view() const { return canvas_.view(); }
  // Waits for the directions and scores being computed in the background (tests).
  void wait_for_analysis() {
    shown_->analysis.wait_idle();
    shown_->insight.wait_idle();
  }
  InsightPanel& insight() { return shown_->insight; }
  const TrainTab& train_tab() const { return shown_->train; }
  const ExploreTab& explore_tab() const { return shown_->explore; }
  const RunsTab& runs_tab() const { return runs_tab_; }
  const Comparison& comparison() const { return comparison_; }
  bool inverted() const { return view_tab_.inverted(); }
  PanelTab tab() const { return tab_; }
  bool shortcuts_open() const { return shortcuts_open_; }  // the Shortcuts window (F1, or "?" beside the tabs)
  // Saves the run into its folder now, when it trained since the last save (detach does too).
  void save_run();
  // Shows the run in `dir` instead, paused (this one is saved first); `follow`: another process
  // trains it. Throws when it cannot be opened; the run shown stays then.
  void show_run(const std::string& dir, bool follow);

 private:
  ShownRunSetup shown_setup(const std::string& run_dir, bool follow) const;
  void attach_shown();  // the shown run's GL objects
  void stop_and_save();  // training stops, the run is saved at the step shown
  void handle_input();
  void grid_tooltip(int cell);  // D's score of the cell under the pointer
  void draw_tabs(const FrameInfo& frame);
  void draw_runs_tab(double time);
  void fork_run(const ForkPlan& plan);
  static void say_problem(const std::string& problem);  // on stderr, when not empty
  void register_settings();  // in the ImGui context's layout file, until detach
  void unregister_settings();

  VizConfig config_;
  std::unique_ptr<ShownRun> shown_;
  GlContext* context_ = nullptr;
  LoopControls* loop_ = nullptr;
  Canvas canvas_;
  ViewTab view_tab_;
  RunsTab runs_tab_;
  Comparison comparison_;
  ForkedRuns forked_;  // after comparison_: its processes stop before the runs they write are let go
  RunUpkeep run_upkeep_;
  PanelTab tab_ = PanelTab::kTrain;
  bool select_tab_ = false;  // a tab restored from the settings is selected once
  bool shortcuts_open_ = false;
};

}  // namespace ganvas
