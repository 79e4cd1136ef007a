// The GAN visualizer plugin: live training with a digit grid and a latent-space explorer, redrawn
// every frame, steered from Dear ImGui panels.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "gan/backend_factory.h"
#include "gan/viz/canvas_layout.h"
#include "gan/viz/chart.h"
#include "gan/viz/cuda_gl_images.h"
#include "gan/viz/image_grid_pass.h"
#include "gan/latent.h"
#include "gan/live_trainer.h"
#include "engine/plugin.h"

namespace ganvas {

// How the visualizer starts; parsed from "key=value" lines so a plugin module gets it as text.
struct VizConfig {
  std::string data_dir = "data/mnist";
  std::string dataset = "mnist";
  std::string checkpoint;  // start from this file; with no data, defaults to the bundled one
  std::string device = "auto";
  uint64_t seed = 0;
  bool train = true;       // start training at once (when data is there)
  int grid = 6;
  int strip = 8;
  bool interop = true;     // CUDA-GL interop when training on CUDA with NVIDIA's GL
  bool walk = false;       // the explorer walks on through random anchors (scripted recordings)
  int steps_per_frame = 0; // 0: as fast as possible
  bool lockstep = false;   // each frame waits for its training steps (offline recordings)

  static VizConfig parse(const std::string& text);
  std::string to_text() const;
};

// The panel column's tabs.
enum class PanelTab { kTrain = 0, kExplore = 1, kView = 2 };

class GanVisualizer final : public Plugin {
 public:
  explicit GanVisualizer(VizConfig config);
  ~GanVisualizer() override;

  const char* name() const override { return "ganvas GAN visualizer"; }
  void attach(const PluginHost& host) override;
  void update(const FrameInfo& frame) override;
  void render(const FrameInfo& frame) override;
  void draw_panels(const FrameInfo& frame) override;
  void detach() override;

  LiveTrainer& trainer() { return *trainer_; }
  // The images last sampled on the CPU path: grid cells, then the strip, then the explorer's
  // point ([n, 784]); empty while interop writes them on the GPU.
  const std::vector<float>& images() const { return images_; }
  const std::vector<float>& grid_latents() const { return grid_latents_; }
  const LiveSnapshot& snapshot() const { return *snapshot_; }
  // "CUDA-GL interop (zero copy)" or "CPU upload (why)".
  const std::string& image_path() const { return image_path_; }
  // Where the canvas is drawn in the latest frame (framebuffer pixels).
  const CanvasLayout& canvas() const { return canvas_; }
  PixelRect grid_rect() const { return canvas_.grid; }
  // The explorer: its anchors' grid cells (-1: a random latent), t, and the current point.
  int anchor_cell(int which) const { return anchor_cells_[which]; }
  float t() const { return t_; }
  int strip_images() const { return strip_; }
  float walk_speed() const { return walk_speed_; }
  float direction_amount(int i) const { return direction_amounts_.at(static_cast<size_t>(i)); }
  const Latent& explorer_point() const { return explorer_; }
  bool inverted() const { return invert_; }
  PanelTab tab() const { return tab_; }
  // The chart point under the mouse in the latest frame.
  const ChartHover& chart_hover() const { return chart_hover_; }
  // The message line under the training controls ("" when hidden).
  std::string visible_message() const;

 private:
  void start_trainer();
  void walk_on(double delta);
  void refresh_images();
  const std::vector<float>& grid_scores();
  Latent interpolated(float t) const;
  void set_anchor(int which, const Latent& z, int cell);
  void set_explorer_base(const Latent& base);
  void move_along_directions();
  void recompute_directions();
  void handle_input();
  void draw_overlay(const FrameInfo& frame, const CanvasLayout& layout);
  std::string caption() const;

  void draw_training_tab();
  void draw_training_controls(const LiveStatus& status);
  void draw_checkpoint_controls(const LiveStatus& status);
  void draw_reset_prompt();
  void draw_message(const LiveStatus& status);
  void draw_charts(bool has_data);
  void draw_explorer_tab();
  void draw_explorer_anchors();
  void draw_direction_sliders();
  void draw_dimension_sliders();
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
  std::unique_ptr<CudaGlImages> interop_;
  std::string image_path_ = "CPU upload";

  std::shared_ptr<const LiveSnapshot> snapshot_;  // the one this frame draws, held by pointer
  std::vector<float> images_;
  std::vector<float> d_scores_;  // D(G(z)) of each grid cell, computed when hovered
  uint64_t d_scores_version_ = 0;
  std::vector<float> latents_;   // every image's latent, in the order of the image buffer
  std::vector<float> hidden_scratch_;  // the generator's hidden layer while sampling on the CPU
  bool images_dirty_ = true;

  std::vector<float> grid_latents_;
  Latent anchor_a_, anchor_b_;
  int anchor_cells_[2] = {0, 1};
  float t_ = 0.5f;
  bool slerp_ = true;
  bool animate_ = false;
  int strip_ = 8;
  Latent explorer_base_;
  Latent explorer_;
  std::vector<LatentDirection> directions_;
  std::vector<float> direction_amounts_;
  std::vector<float> dimension_reach_;  // each z slider spans [-reach, reach]: the point is never pinned
  uint64_t directions_step_ = ~0ull;
  double directions_time_ = 0;
  bool random_walk_ = false;
  float walk_speed_ = 0.5f;
  uint64_t latent_seed_ = 1;

  bool invert_ = true;
  PanelTab tab_ = PanelTab::kTrain;
  bool select_tab_ = false;  // a tab restored from the settings is selected once
  int reset_seed_ = 0;
  char checkpoint_path_[512] = "out/visualizer.safetensors";
  uint64_t hidden_message_ = 0;  // the serial of the message the user answered
  ChartHover chart_hover_;

  CanvasLayout canvas_;
  float panel_width_ = 420.0f;  // framebuffer pixels
  std::deque<double> frame_ms_;  // intervals between frames, vsync and pacing included
  double animate_time_ = 0;
};

}  // namespace ganvas
