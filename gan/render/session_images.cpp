// A session's images in a GL buffer, sampled once per change.
#include "gan/render/session_images.h"

#include <algorithm>

#include "common/error.h"
#include "engine/gl.h"

namespace ganvas {
namespace {

constexpr int kMostStripImages = 32;
constexpr int kConditionalRows = 10;

}  // namespace

SessionImages::SessionImages(const Session& session, int grid, bool interop_allowed)
    : pass_(session.snapshot().shape.image_side()), interop_allowed_(interop_allowed) {
  const int side = std::max(grid, kConditionalRows);
  capacity_ = side * side + kMostStripImages + 1;
  buffer_ = gl::create_buffer();
  const ModelShape& shape = session.snapshot().shape;
  glNamedBufferStorage(buffer_.get(), static_cast<GLsizeiptr>(size_t(capacity_) * shape.image * sizeof(float)), nullptr,
                       GL_DYNAMIC_STORAGE_BIT);
  gl::check("creating the image buffer");
  make_sampler(session);
}

SessionImages::~SessionImages() { sampler_.reset(); }  // an interop sampler lets go of the buffer first

void SessionImages::make_sampler(const Session& session) {
  sampler_.reset();  // an interop sampler lets go of the buffer before another takes it
  sampled_.reset();
  const ModelShape& shape = session.snapshot().shape;
  ChosenSampler chosen = make_gl_sampler(buffer_.get(), capacity_, shape, session.trainer().status().backend,
                                         interop_allowed_);
  sampler_ = std::move(chosen.sampler);
  path_ = std::move(chosen.path);
  sampler_shape_ = shape;
}

bool SessionImages::refresh(const Session& session) {
  const Session::ImagesKey now = session.images_key();
  if (sampled_ == now) return false;
  const LiveSnapshot& snapshot = session.snapshot();
  if (!(snapshot.shape == sampler_shape_)) make_sampler(session);  // weights of another model
  const int count = session.image_count();
  GANVAS_CHECK(count <= capacity_, "more images than the image buffer holds");
  sampler_->write(snapshot, session.image_latents(), count);
  sampled_ = now;
  return true;
}

}  // namespace ganvas
