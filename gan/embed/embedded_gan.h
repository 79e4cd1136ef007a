// The GAN as the C API hosts it: a live trainer, the explorer and the image views, and the GL
// objects that render a view into a host's texture. Control calls are safe from any thread; the
// render calls belong to the host's render thread with its GL context current.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/gl.h"
#include "gan/session/run_upkeep.h"
#include "gan/session/session.h"

namespace ganvas {

class SessionImages;

enum class GanView { kGrid = 0, kStrip = 1, kPoint = 2 };

struct EmbedConfig : SessionConfig {
  double autosave_seconds = 300;
};

class EmbeddedGan {
 public:
  // `notes` receives what a user should be told about the start (no data, the backend).
  EmbeddedGan(const EmbedConfig& config, std::vector<std::string>& notes);
  ~EmbeddedGan();
  EmbeddedGan(const EmbeddedGan&) = delete;
  EmbeddedGan& operator=(const EmbeddedGan&) = delete;

  // The trainer takes commands from any thread. The session's other parts are reached through the
  // calls below, which hold the session's lock.
  LiveTrainer& trainer() { return session_.trainer(); }
  int noise() const;

  // The run folder: autosaves and following, when due (called often, from any thread); a save now;
  // and the save on the way out (training stops first). Each returns what went wrong, else "".
  std::string keep_run();
  std::string save_run();
  std::string finish_run();
  bool has_run() const;  // a run folder this context writes (not one it follows)

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
  Cells cells(GanView view);
  int image_side() const;
  // The view's pixels, row-major from the top, one float in [0, 1] each (the generator's output).
  std::vector<float> view_pixels(GanView view);

  // The render lane. Images reach the host's texture through CUDA-GL interop when training runs on
  // CUDA and the host's GL is NVIDIA's, else uploaded from the CPU; image_path() says which, and why.
  void attach_gl(GLADuserptrloadfunc load, void* user);
  // Row 0 of `texture` gets the image's top row when `top_row_first`, else its bottom row.
  void render(GanView view, GLuint texture, bool inverted, bool top_row_first = false);
  void detach_gl();
  bool gl_attached() const { return gl_ != nullptr; }
  std::string image_path() const;

 private:
  struct GlObjects;
  Cells cells_locked(GanView view) const;
  int first_image(GanView view) const;  // the view's first image in the session's order

  mutable std::mutex mutex_;  // guards session_ but its trainer, and upkeep_
  Session session_;
  RunUpkeep upkeep_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::unique_ptr<GlObjects> gl_;
};

}  // namespace ganvas
