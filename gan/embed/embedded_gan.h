// The GAN as the C API hosts it: a live trainer, the explorer and the image views, and the GL
// objects that render a view into a host's texture. Control calls are safe from any thread; the
// render calls belong to the host's render thread with its GL context current.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/gl.h"
#include "engine/gl_objects.h"
#include "gan/live_trainer.h"
#include "gan/viz/explorer.h"
#include "gan/viz/gl_image_sampler.h"
#include "gan/viz/image_grid_pass.h"
#include "gan/viz/trainer_setup.h"

namespace ganvas {

enum class GanView { kGrid = 0, kStrip = 1, kPoint = 2 };

struct EmbedConfig {
  TrainerSetup trainer;
  int grid = 6;
  int strip = 8;
};

class EmbeddedGan {
 public:
  // `notes` receives what a user should be told about the start (no data, the backend).
  EmbeddedGan(const EmbedConfig& config, std::vector<std::string>& notes);
  ~EmbeddedGan();
  EmbeddedGan(const EmbeddedGan&) = delete;
  EmbeddedGan& operator=(const EmbeddedGan&) = delete;

  LiveTrainer& trainer() { return *trainer_; }
  int noise() const { return noise_; }

  // The explorer, from any thread.
  void set_anchor(int which, const Latent& z);
  void set_grid_anchor(int which, int cell);
  void set_t(float t);
  Latent point() const;
  // A click at (u, v) of a view's texture (v = 0 at the bottom): a grid cell becomes anchor
  // `button` (0: A, 1: B); on the strip, t moves to the image clicked.
  void click(GanView view, float u, float v, int button);

  // A view's images: columns x rows cells of side x side pixels.
  struct Cells {
    int columns = 0, rows = 0;
  };
  Cells cells(GanView view) const;
  int image_side() const { return side_; }
  // The view's pixels, row-major from the top, one float in [0, 1] each (the generator's output).
  std::vector<float> view_pixels(GanView view) const;

  // The render lane. Images reach the host's texture through CUDA-GL interop when training runs on
  // CUDA and the host's GL is NVIDIA's, else uploaded from the CPU; image_path() says which, and why.
  void attach_gl(GLADuserptrloadfunc load, void* user);
  // Row 0 of `texture` gets the image's top row when `top_row_first`, else its bottom row.
  void render(GanView view, GLuint texture, bool inverted, bool top_row_first = false);
  void detach_gl();
  bool gl_attached() const { return gl_ != nullptr; }
  const std::string& image_path() const { return image_path_; }

 private:
  struct GlObjects;
  std::vector<float> view_latents(GanView view) const;
  void sample_into_buffer(GanView view, int count);  // the render lane's image buffer, when stale
  void make_sampler(const ModelShape& shape);         // for the model being trained now

  EmbedConfig config_;
  std::unique_ptr<LiveTrainer> trainer_;
  int noise_ = 0;
  int side_ = 0;
  std::vector<float> grid_latents_;
  mutable std::mutex explorer_mutex_;
  std::optional<LatentExplorer> explorer_;
  std::unique_ptr<GlObjects> gl_;
  std::string image_path_;
};

}  // namespace ganvas
