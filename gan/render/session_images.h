// The images of a session's views in one GL buffer, in the session's order (the grid's cells, the
// strip, the explorer's point), sampled again only when the session's images key changes: whoever
// draws one view or all three each frame runs the generator once per change. A sampler for the model
// being trained writes them: through CUDA-GL interop when it trains on CUDA, else uploaded from the
// CPU. Render thread, with the GL context current.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "engine/gl_objects.h"
#include "gan/render/gl_image_sampler.h"
#include "gan/render/image_grid_pass.h"
#include "gan/session/session.h"

namespace ganvas {

class SessionImages {
 public:
  // Room for every image of a grid `grid` cells a side, or a conditional model's ten rows, whichever
  // is larger, and the longest strip.
  SessionImages(const Session& session, int grid, bool interop_allowed);
  ~SessionImages();
  SessionImages(const SessionImages&) = delete;
  SessionImages& operator=(const SessionImages&) = delete;

  // Samples what the session shows now when it changed since the last call (a model of another
  // shape gets a sampler of its own first). Returns whether it sampled.
  bool refresh(const Session& session);
  void invalidate() { sampled_.reset(); }  // the next refresh samples

  GLuint buffer() const { return buffer_.get(); }
  const ImageGridPass& pass() const { return pass_; }
  // "CUDA-GL interop (zero copy)" or "CPU upload (why)".
  const std::string& path() const { return path_; }

 private:
  void make_sampler(const Session& session);

  ImageGridPass pass_;
  gl::Buffer buffer_;
  int capacity_;
  bool interop_allowed_;
  std::unique_ptr<GlImageSampler> sampler_;
  ModelShape sampler_shape_;  // the model sampler_ was made for
  std::string path_;
  std::optional<Session::ImagesKey> sampled_;
};

}  // namespace ganvas
