// The GAN visualizer plugin: live training with a digit grid and a latent-space explorer, redrawn
// every frame, steered from Dear ImGui panels.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "backend_factory.h"
#include "cuda_gl_images.h"
#include "image_grid_pass.h"
#include "latent.h"
#include "live_trainer.h"
#include "plugin.h"

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
  const LiveSnapshot& snapshot() const { return snapshot_; }
  // "CUDA-GL interop (zero copy)" or "CPU upload (why)".
  const std::string& image_path() const { return image_path_; }
  // Where the grid is drawn in the latest frame (pixels).
  PixelRect grid_rect() const { return grid_rect_; }

 private:
  void start_trainer();
  void layout(Size framebuffer, bool canvas_only);
  void walk_on(double delta);
  void refresh_images();
  const std::vector<float>& grid_scores();
  Latent interpolated(float t) const;
  void set_explorer_base(const Latent& base);
  void recompute_directions();
  void handle_input();

  void draw_training_panel();
  void draw_explorer_panel();
  void draw_charts_panel();
  void draw_performance_panel();

  VizConfig config_;
  std::unique_ptr<LiveTrainer> trainer_;
  GlContext* context_ = nullptr;
  std::unique_ptr<ImageGridPass> pass_;
  gl::Buffer images_buffer_;
  std::unique_ptr<CudaGlImages> interop_;
  std::string image_path_ = "CPU upload";

  LiveSnapshot snapshot_;
  std::vector<float> images_;
  std::vector<float> d_scores_;  // D(G(z)) of each grid cell, computed when hovered
  uint64_t d_scores_version_ = 0;
  std::vector<float> latents_;   // every image's latent, in the order of the image buffer
  std::vector<float> hidden_scratch_;  // the generator's hidden layer while sampling on the CPU
  bool images_dirty_ = true;

  std::vector<float> grid_latents_;
  Latent anchor_a_, anchor_b_;
  float t_ = 0.5f;
  bool slerp_ = true;
  bool animate_ = false;
  int strip_ = 8;
  Latent explorer_base_;
  Latent explorer_;
  std::vector<LatentDirection> directions_;
  std::vector<float> direction_amounts_;
  uint64_t directions_step_ = ~0ull;
  double directions_time_ = 0;
  bool random_walk_ = false;
  float walk_speed_ = 0.5f;
  uint64_t latent_seed_ = 1;

  bool invert_ = true;
  bool vsync_ = true;
  int reset_seed_ = 0;
  char checkpoint_path_[512] = "out/visualizer.safetensors";

  PixelRect grid_rect_, strip_rect_, explorer_rect_;
  float panel_width_ = 420.0f;  // framebuffer pixels
  std::deque<double> frame_ms_;  // intervals between frames, vsync and pacing included
  double animate_time_ = 0;
};

}  // namespace ganvas
