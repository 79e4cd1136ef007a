// The hosted GAN: trainer, explorer, views, and rendering a view into a host's texture.
#include "gan/embed/embedded_gan.h"

#include <algorithm>

#include "common/error.h"
#include "engine/gl_state.h"
#include "gan/sampler.h"

namespace ganvas {

struct EmbeddedGan::GlObjects {
  // What the image buffer holds: sampled again only when the view, the weights or the explorer change.
  struct Sampled {
    GanView view;
    uint64_t weights;   // the snapshot's version
    uint64_t explorer;  // the explorer's revision
    bool operator==(const Sampled&) const = default;
  };
  ImageGridPass pass;
  gl::Buffer images;
  gl::Framebuffer framebuffer;
  std::unique_ptr<GlImageSampler> sampler;
  ModelShape sampler_shape;  // the model the sampler was made for
  int most_images = 0;       // the buffer's room
  std::optional<Sampled> sampled;
  explicit GlObjects(int side) : pass(side) {}
};

EmbeddedGan::EmbeddedGan(const EmbedConfig& config, std::vector<std::string>& notes) : config_(config) {
  GANVAS_CHECK(config.grid >= 2 && config.grid <= 16, "the grid has 2 to 16 cells a side");
  GANVAS_CHECK(config.strip >= 2 && config.strip <= 32, "the strip shows 2 to 32 images");
  StartedTrainer started = start_trainer(config.trainer);
  trainer_ = std::move(started.trainer);
  notes = std::move(started.notes);
  const ModelShape shape = trainer_->snapshot()->shape;
  noise_ = shape.latent();
  side_ = shape.image_side();
  grid_latents_ = model_latents(shape, config.trainer.seed, config.grid * config.grid, {}, config.grid);
  explorer_.emplace(grid_latents_, noise_, config.strip, shape.classes);
}

EmbeddedGan::~EmbeddedGan() {
  // Still attached: the host's context may be gone or not current here, so no GL call is made: the
  // GL objects and their small wrappers are deliberately left behind (ganvas_render_detach frees both).
  if (gl_) (void)gl_.release();
}

void EmbeddedGan::set_anchor(int which, const Latent& z) {
  std::lock_guard lock(explorer_mutex_);
  explorer_->set_anchor(which, z, -1);
}

void EmbeddedGan::set_grid_anchor(int which, int cell) {
  GANVAS_CHECK(cell >= 0 && cell < config_.grid * config_.grid, "no such grid cell");
  const Latent z(grid_latents_.begin() + cell * noise_, grid_latents_.begin() + (cell + 1) * noise_);
  std::lock_guard lock(explorer_mutex_);
  explorer_->set_anchor(which, z, cell);
}

void EmbeddedGan::set_t(float t) {
  std::lock_guard lock(explorer_mutex_);
  explorer_->set_t(t);
}

Latent EmbeddedGan::point() const {
  std::lock_guard lock(explorer_mutex_);
  return explorer_->point();
}

void EmbeddedGan::click(GanView view, float u, float v, int button) {
  const Cells layout = cells(view);
  const int column = std::clamp(static_cast<int>(u * static_cast<float>(layout.columns)), 0, layout.columns - 1);
  const int row = std::clamp(static_cast<int>((1.0f - v) * static_cast<float>(layout.rows)), 0, layout.rows - 1);
  if (view == GanView::kGrid) set_grid_anchor(button, row * layout.columns + column);
  if (view == GanView::kStrip) set_t(static_cast<float>(column) / static_cast<float>(layout.columns - 1));
}

EmbeddedGan::Cells EmbeddedGan::cells(GanView view) const {
  switch (view) {
    case GanView::kGrid: return {config_.grid, config_.grid};
    case GanView::kStrip: return {config_.strip, 1};
    case GanView::kPoint: break;
  }
  return {1, 1};
}

std::vector<float> EmbeddedGan::view_latents(GanView view) const {
  if (view == GanView::kGrid) return grid_latents_;
  std::lock_guard lock(explorer_mutex_);
  return view == GanView::kStrip ? explorer_->strip_latents() : explorer_->point();
}

std::vector<float> EmbeddedGan::view_pixels(GanView view) const {
  const std::shared_ptr<const LiveSnapshot> snapshot = trainer_->snapshot();
  const Cells layout = cells(view);
  const int count = layout.columns * layout.rows;
  return tile_images(generate_images(snapshot->shape, snapshot->generator, view_latents(view), count), layout.columns,
                     layout.rows);
}

void EmbeddedGan::attach_gl(GLADuserptrloadfunc load, void* user) {
  gl::load_with(load, user);
  while (glGetError() != GL_NO_ERROR) {
  }  // errors the host left pending are not ganvas's
  const gl::StateGuard keep;  // building the pass's program and the buffers binds nothing, but be sure
  auto objects = std::make_unique<GlObjects>(side_);
  objects->images = gl::create_buffer();
  const int most = std::max(config_.grid * config_.grid, config_.strip);
  glNamedBufferStorage(objects->images.get(), static_cast<GLsizeiptr>(size_t(most) * side_ * side_ * sizeof(float)),
                       nullptr, GL_DYNAMIC_STORAGE_BIT);
  GLuint framebuffer = 0;
  glCreateFramebuffers(1, &framebuffer);
  objects->framebuffer = gl::Framebuffer(framebuffer);
  objects->most_images = most;
  gl_ = std::move(objects);
  try {
    make_sampler(trainer_->snapshot()->shape);
    gl::check("creating ganvas's GL objects");
  } catch (...) {
    gl_.reset();  // not attached: the host may try again
    throw;
  }
}

void EmbeddedGan::make_sampler(const ModelShape& shape) {
  gl_->sampler.reset();  // an interop sampler lets go of the buffer before another takes it
  gl_->sampled.reset();
  ChosenSampler chosen = make_gl_sampler(gl_->images.get(), gl_->most_images, shape, trainer_->status().backend);
  gl_->sampler = std::move(chosen.sampler);
  image_path_ = std::move(chosen.path);
  gl_->sampler_shape = shape;
}

namespace {

// Leaves nothing of the host's attached to ganvas's framebuffer, however the render ends.
struct DetachTexture {
  GLuint framebuffer;
  ~DetachTexture() { glNamedFramebufferTexture(framebuffer, GL_COLOR_ATTACHMENT0, 0, 0); }
};

// Throws unless `texture` is an RGBA8 2-D texture of width x height.
void check_target(GLuint texture, int width, int height) {
  GLint texture_width = 0, texture_height = 0, format = 0;
  glGetTextureLevelParameteriv(texture, 0, GL_TEXTURE_WIDTH, &texture_width);
  glGetTextureLevelParameteriv(texture, 0, GL_TEXTURE_HEIGHT, &texture_height);
  glGetTextureLevelParameteriv(texture, 0, GL_TEXTURE_INTERNAL_FORMAT, &format);
  if (glGetError() != GL_NO_ERROR) GANVAS_THROW("texture " + std::to_string(texture) + " is not a 2-D texture");
  if (texture_width != width || texture_height != height || format != GL_RGBA8) {
    GANVAS_THROW("the texture must be RGBA8 of " + std::to_string(width) + "x" + std::to_string(height) + ", it is " +
                 std::to_string(texture_width) + "x" + std::to_string(texture_height) + " (format 0x" +
                 std::to_string(format) + ")");
  }
}

}  // namespace

void EmbeddedGan::render(GanView view, GLuint texture, bool inverted, bool top_row_first) {
  GANVAS_CHECK(gl_, "render before ganvas_render_attach");
  if (glGetString(GL_VERSION) == nullptr) GANVAS_THROW("no GL context is current on this thread");
  while (glGetError() != GL_NO_ERROR) {
  }  // errors the host left pending are not ganvas's
  const Cells layout = cells(view);
  const int width = layout.columns * side_, height = layout.rows * side_;
  check_target(texture, width, height);
  const gl::StateGuard keep;
  sample_into_buffer(view, layout.columns * layout.rows);
  glNamedFramebufferTexture(gl_->framebuffer.get(), GL_COLOR_ATTACHMENT0, texture, 0);
  const DetachTexture detach{gl_->framebuffer.get()};
  if (glCheckNamedFramebufferStatus(gl_->framebuffer.get(), GL_DRAW_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    GANVAS_THROW("the texture cannot be rendered into");
  }
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, gl_->framebuffer.get());
  glViewport(0, 0, width, height);
  glDisable(GL_SCISSOR_TEST);
  gl::StateGuard::plain_drawing();  // whatever culling, masks or modes the host had on
  // The pass puts the image's top row at the rectangle's top, the framebuffer's last row; a rectangle
  // upside down puts it at row 0.
  const PixelRect rect = top_row_first ? PixelRect{0, float(height), float(width), -float(height)}
                                       : PixelRect{0, 0, float(width), float(height)};
  gl_->pass.draw(gl_->images.get(), 0, layout.columns, layout.rows, rect, width, height, inverted);
  gl::check("rendering a view");
}

void EmbeddedGan::sample_into_buffer(GanView view, int count) {
  const std::shared_ptr<const LiveSnapshot> snapshot = trainer_->snapshot();
  uint64_t revision = 0;
  {
    std::lock_guard lock(explorer_mutex_);
    revision = explorer_->revision();  // read before the latents: a change in between samples again
  }
  const GlObjects::Sampled now{view, snapshot->version, revision};
  if (gl_->sampled == now) return;  // a host that renders every frame re-samples only on change
  if (!(snapshot->shape == gl_->sampler_shape)) make_sampler(snapshot->shape);  // a checkpoint of another model
  gl_->sampler->write(*snapshot, view_latents(view), count);
  gl_->sampled = now;
}

void EmbeddedGan::detach_gl() { gl_.reset(); }

}  // namespace ganvas
