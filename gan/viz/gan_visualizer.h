// The GAN visualizer plugin: live training with a digit grid and a latent-space explorer, redrawn
// every frame, steered from Dear ImGui panels.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gan/backend_factory.h"
#include "gan/viz/canvas_layout.h"
#include "gan/viz/canvas_input.h"
#include "gan/viz/canvas_view.h"
#include "gan/viz/chart.h"
#include "gan/viz/gl_image_sampler.h"
#include "gan/viz/image_grid_pass.h"
#include "gan/viz/analysis_worker.h"
#include "gan/viz/explorer.h"
#include "gan/viz/explore_export.h"
#include "gan/viz/insight_panel.h"
#include "gan/latent.h"
#include "gan/live_trainer.h"
#include "engine/plugin.h"

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
  bool walk = false;       // the explorer walks on through random anchors (scripted recordings)
  int steps_per_frame = 0; // 0: as fast as possible
  bool lockstep = false;   // each frame waits for its training steps (offline recordings)
  // Where the Explore tab's exports go: the Recording panel's folder. Not in the text form: a plugin
  // module exports into out/, as the host's Recording panel records into it.
  std::string output_dir = "out";

  static VizConfig parse(const std::string& text);
  std::string to_text() const;
};

// The panel column's tabs.
enum class PanelTab { kTrain = 0, kExplore = 1, kView = 2, kInsight = 3 };

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
    return {0, 0, static_cast<float>(frame.framebuffer.width) - panel_width_, static_cast<float>(frame.framebuffer.height)};
  }
  void detach() override;

  LiveTrainer& trainer() { return *trainer_; }
  const std::vector<float>& grid_latents() const { return grid_latents_; }
  const LiveSnapshot& snapshot() const { return *snapshot_; }
  // "CUDA-GL interop (zero copy)" or "CPU upload (why)".
  const std::string& image_path() const { return image_path_; }
  // Where the canvas is drawn in the latest frame (framebuffer pixels, zoom and pan applied).
  const CanvasLayout& canvas() const { return canvas_; }
  PixelRect grid_rect() const { return canvas_.grid; }
  // The zoom and pan of the canvas (wheel, drag, F or Fit).
  const CanvasView& view() const { return view_; }
  // The explorer: its anchors' grid cells (-1: a random latent), t, and the current point.
  const LatentExplorer& explorer() const { return *explorer_; }
  int anchor_cell(int which) const { return explorer_->anchor_cell(which); }
  float t() const { return explorer_->t(); }
  int strip_images() const { return explorer_->strip(); }
  float walk_speed() const { return explorer_->walk_speed(); }
  int grid_digit() const { return grid_digit_; }
  float direction_amount(int i) const { return explorer_->amount(i); }
  const Latent& explorer_point() const { return explorer_->point(); }
  // Waits for the directions and scores being computed in the background (tests).
  void wait_for_analysis() {
    analysis_.wait_idle();
    insight_->wait_idle();
  }
  // The Insight tab: quality over training, real against fake, D's landscape, the gradient overlay.
  InsightPanel& insight() { return *insight_; }
  bool inverted() const { return invert_; }
  PanelTab tab() const { return tab_; }
  // The chart point under the mouse in the latest frame.
  const ChartHover& chart_hover() const { return chart_hover_; }
  // Whether the Shortcuts window is open (F1, or "?" beside the tabs).
  bool shortcuts_open() const { return shortcuts_open_; }
  // The Explore tab's line under its export buttons: what the latest export wrote, or where files go.
  const std::string& export_message() const { return export_->message(); }
  bool exporting_walk() const { return export_->walking(); }
  // The message line under the training controls ("" when hidden).
  std::string visible_message() const;

 private:
  void start_trainer();
  void refresh_images();
  void collect_analysis(double time);
  void request_analysis(double time);
  // D's score of a grid cell for the weights on screen, or nothing while it is being computed.
  std::optional<float> grid_score(int cell);
  void resample_grid();  // new latents for the grid
  void redraw_grid();    // the grid's latents again, for the digits it shows now
  void handle_input();
  void handle_pointer(const ImGuiIO& io);
  float canvas_width(const FrameInfo& frame) const;
  void draw_overlay(const FrameInfo& frame, const CanvasLayout& layout, float scale);
  void draw_canvas_view_controls();
  std::string caption() const;

  void draw_training_tab();
  void draw_training_controls(const LiveStatus& status);
  void draw_checkpoint_controls(const LiveStatus& status);
  void draw_reset_prompt();
  bool draw_reset_model_choice();
  void make_sampler();
  void reset_to_chosen_model();
  // Backends for another model (a preset, a loaded checkpoint), on the device this one asked for.
  LiveTrainer::BackendMaker backend_maker() const;
  void set_up_for_model(uint64_t latent_seed, int strip);
  void on_model_changed();  // the trainer took fresh weights of another model
  void draw_message(const LiveStatus& status);
  void draw_charts(bool has_data);
  void draw_explorer_tab();
  void draw_explorer_anchors();
  void draw_digit_controls();  // conditional models: which digits the grid and the anchors ask for
  void draw_direction_sliders();
  void draw_dimension_sliders();
  void draw_export_buttons();
  void run_exports();  // what the export buttons asked for, on the GL thread after the canvas is drawn
  void draw_view_tab();
  void register_settings();  // in the ImGui context's layout file, until detach
  void unregister_settings();
  void acted();  // the user changed something: the message they saw is answered

  VizConfig config_;
  std::unique_ptr<LiveTrainer> trainer_;
  GlContext* context_ = nullptr;
  LoopControls* loop_ = nullptr;
  void (*draw_overlay_)(const ImDrawList&, Size) = nullptr;
  std::unique_ptr<ImDrawList> overlay_;  // the canvas's marks, rebuilt each frame in kept buffers
  std::unique_ptr<ImageGridPass> pass_;
  gl::Buffer images_buffer_;
  std::unique_ptr<GlImageSampler> sampler_;  // CUDA-GL interop, else the CPU
  std::string image_path_ = "CPU upload";

  std::shared_ptr<const LiveSnapshot> snapshot_;  // the one this frame draws, held by pointer
  std::vector<float> latents_;   // every image's latent, in the order of the image buffer: grid, strip, point
  bool images_dirty_ = true;
  uint64_t sampled_revision_ = ~0ull;  // the explorer's revision the images show

  std::vector<float> grid_latents_;
  uint64_t grid_seed_ = 1;
  int grid_digit_ = -1;  // conditional models: every cell this digit; -1: one row per digit
  uint64_t grid_revision_ = 0;   // grows when the grid is drawn anew
  std::optional<LatentExplorer> explorer_;
  AnalysisWorker analysis_{LatentExplorer::kDirections};  // directions and D's scores, off this thread
  std::optional<AnalysisWorker::Scores> d_scores_;        // the latest grid scores
  std::unique_ptr<InsightPanel> insight_;
  std::unique_ptr<ExploreExport> export_;
  enum class ExportAsk { kNone, kImage, kStrip, kWalk } export_ask_ = ExportAsk::kNone;  // clicked in this frame
  std::vector<float> dimension_reach_;  // each z slider spans [-reach, reach]: the point is never pinned

  bool invert_ = true;
  PanelTab tab_ = PanelTab::kTrain;
  bool select_tab_ = false;  // a tab restored from the settings is selected once
  bool shortcuts_open_ = false;
  int reset_seed_ = 0;
  int reset_preset_ = 0;  // 0: this model, else presets()[i - 1]
  int reset_loss_ = 0;    // a Loss
  ModelShape model_shape_;  // the model the grid, explorer and sampler are set up for
  int base_grid_ = 6;       // the grid's side for an unconditional model
  int max_images_ = 0;      // the image buffer's capacity
  std::string model_source_;         // the checkpoint explored, for messages
  char checkpoint_path_[512] = "";  // --checkpoint's file, else visualizer.safetensors in the user's data folder
  uint64_t hidden_message_ = 0;  // the serial of the message the user answered
  ChartHover chart_hover_;
  bool log_losses_ = false;

  CanvasLayout laid_out_;  // the canvas in its own pixels, as layout_canvas places it
  CanvasLayout canvas_;    // the same on screen: through view_
  CanvasView view_;
  bool panning_ = false;   // the left button is dragging the canvas (its release picks no anchor)
  float panel_width_ = 420.0f;  // framebuffer pixels
  float layout_scale_ = 1.0f;   // the display's content scale the canvas was laid out with
  std::deque<double> frame_ms_;  // intervals between frames, vsync and pacing included
};

}  // namespace ganvas
