// The hosted GAN: trainer, explorer, views, and rendering a view into a host's texture.
#include "gan/embed/embedded_gan.h"

#include <algorithm>

#include "common/error.h"
#include "engine/gl_state.h"
#include "gan/model/sampler.h"
#include "gan/render/session_images.h"

namespace ganvas {

struct EmbeddedGan::GlObjects {
  SessionImages images;
  gl::Framebuffer framebuffer;
  GlObjects(const Session& session, int grid) : images(session, grid, true) {}
};

EmbeddedGan::EmbeddedGan(const EmbedConfig& config, std::vector<std::string>& notes)
    : session_(config), upkeep_(config.autosave_seconds) {
  notes = session_.notes();
}

std::string EmbeddedGan::keep_run() {
  std::lock_guard lock(mutex_);
  const double now = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return upkeep_.update(session_, now);
}

std::string EmbeddedGan::save_run() {
  std::lock_guard lock(mutex_);
  return upkeep_.save(session_);
}

std::string EmbeddedGan::finish_run() {
  if (!has_run()) return "";
  trainer().set_running(false);
  trainer().cancel_requested_steps();
  trainer().wait_idle();
  std::lock_guard lock(mutex_);
  session_.refresh();
  return upkeep_.save(session_);
}

bool EmbeddedGan::has_run() const {
  std::lock_guard lock(mutex_);
  return !session_.run_dir().empty() && !session_.following();
}

EmbeddedGan::~EmbeddedGan() {
  // Still attached: the host's context may be gone or not current here, so no GL call is made: the
  // GL objects and their small wrappers are deliberately left behind (ganvas_render_detach frees both).
  if (gl_) (void)gl_.release();
}

int EmbeddedGan::noise() const {
  std::lock_guard lock(mutex_);
  return session_.snapshot().shape.latent();
}

int EmbeddedGan::image_side() const {
  std::lock_guard lock(mutex_);
  return session_.snapshot().shape.image_side();
}

void EmbeddedGan::set_anchor(int which, const Latent& z) {
  std::lock_guard lock(mutex_);
  session_.explorer().set_anchor(which, z, -1);
}

void EmbeddedGan::set_grid_anchor(int which, int cell) {
  std::lock_guard lock(mutex_);
  session_.set_anchor_to_cell(which, cell);
}

void EmbeddedGan::set_t(float t) {
  std::lock_guard lock(mutex_);
  session_.explorer().set_t(t);
}

Latent EmbeddedGan::point() const {
  std::lock_guard lock(mutex_);
  return session_.explorer().point();
}

void EmbeddedGan::click(GanView view, float u, float v, int button) {
  std::lock_guard lock(mutex_);
  const Cells layout = cells_locked(view);
  const int column = std::clamp(static_cast<int>(u * static_cast<float>(layout.columns)), 0, layout.columns - 1);
  const int row = std::clamp(static_cast<int>((1.0f - v) * static_cast<float>(layout.rows)), 0, layout.rows - 1);
  if (view == GanView::kGrid) session_.set_anchor_to_cell(button, row * layout.columns + column);
  if (view == GanView::kStrip) session_.explorer().set_t(static_cast<float>(column) / static_cast<float>(layout.columns - 1));
}

EmbeddedGan::Cells EmbeddedGan::cells(GanView view) {
  std::lock_guard lock(mutex_);
  session_.refresh();  // weights of another model have a grid of their own
  return cells_locked(view);
}

EmbeddedGan::Cells EmbeddedGan::cells_locked(GanView view) const {
  switch (view) {
    case GanView::kGrid: return {session_.grid_side(), session_.grid_side()};
    case GanView::kStrip: return {session_.explorer().strip(), 1};
    case GanView::kPoint: break;
  }
  return {1, 1};
}

int EmbeddedGan::first_image(GanView view) const {
  switch (view) {
    case GanView::kGrid: return 0;
    case GanView::kStrip: return session_.grid_cells();
    case GanView::kPoint: break;
  }
  return session_.grid_cells() + session_.explorer().strip();
}

std::vector<float> EmbeddedGan::view_pixels(GanView view) {
  std::lock_guard lock(mutex_);
  session_.refresh();  // the latest weights
  const LiveSnapshot& snapshot = session_.snapshot();
  const Cells layout = cells_locked(view);
  const int count = layout.columns * layout.rows;
  const int noise = snapshot.shape.latent();
  const std::vector<float> all = session_.image_latents();
  const auto first = all.begin() + static_cast<std::ptrdiff_t>(first_image(view)) * noise;
  const std::vector<float> latents(first, first + static_cast<std::ptrdiff_t>(count) * noise);
  return tile_images(generate_images(snapshot.shape, snapshot.generator, latents, count), layout.columns, layout.rows);
}

void EmbeddedGan::attach_gl(GLADuserptrloadfunc load, void* user) {
  gl::load_with(load, user);
  while (glGetError() != GL_NO_ERROR) {
  }  // errors the host left pending are not ganvas's
  const gl::StateGuard keep;  // building the pass's program and the buffers binds nothing, but be sure
  std::lock_guard lock(mutex_);
  auto objects = std::make_unique<GlObjects>(session_, session_.grid_side());
  GLuint framebuffer = 0;
  glCreateFramebuffers(1, &framebuffer);
  objects->framebuffer = gl::Framebuffer(framebuffer);
  gl::check("creating ganvas's GL objects");
  gl_ = std::move(objects);
}

std::string EmbeddedGan::image_path() const {
  std::lock_guard lock(mutex_);
  return gl_ ? gl_->images.path() : std::string();
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
  std::lock_guard lock(mutex_);
  session_.refresh();
  const Cells layout = cells_locked(view);
  const int side = session_.snapshot().shape.image_side();
  const int width = layout.columns * side, height = layout.rows * side;
  check_target(texture, width, height);
  const gl::StateGuard keep;
  gl_->images.refresh(session_);  // once per change of what the views show, whichever views are drawn
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
  gl_->images.pass().draw(gl_->images.buffer(), first_image(view), layout.columns, layout.rows, rect, width, height,
                          inverted);
  gl::check("rendering a view");
}

void EmbeddedGan::detach_gl() {
  std::lock_guard lock(mutex_);
  gl_.reset();
}

}  // namespace ganvas
