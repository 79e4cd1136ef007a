// Exports from the Explore tab: PNGs drawn by the canvas's own image pass, and the walk's MP4
// written a few frames per window frame so the window keeps drawing meanwhile.
#include "gan/viz/explore_export.h"

#include <algorithm>
#include <cstdio>
#include <exception>

#include "common/atomic_file.h"
#include "common/png.h"
#include "common/printable.h"
#include "engine/gl.h"
#include "engine/render_target.h"
#include "engine/video_encoder.h"
#include "gan/model/sampler.h"

namespace ganvas {
namespace {

// The largest whole multiple of `side` up to `limit`, at least `side`.
int whole_multiple(int side, int limit) { return side * std::max(1, limit / side); }

// The host reads back its own frame (screenshots, recordings) from the read framebuffer it bound,
// which the state guard does not keep.
class ReadFramebufferGuard {
 public:
  ReadFramebufferGuard() { glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &bound_); }
  ~ReadFramebufferGuard() { glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(bound_)); }

 private:
  GLint bound_ = 0;
};

}  // namespace

ExploreExport::ExploreExport(std::string folder) : folder_(std::move(folder)) {
  message_ = "exports go to " + shown_path(folder_);
}

ExploreExport::~ExploreExport() = default;  // an unfinished walk keeps its .partial name

std::string ExploreExport::next_path(const std::string& name, const std::string& extension) {
  const std::string partial = extension + ".partial";
  return folder_ + "/" + name + "-" + std::to_string(first_free_number(folder_, name, {extension, partial})) + extension;
}

std::vector<uint8_t> ExploreExport::render_row(const ImageGridPass& pass, GLuint images, int first, int count, Size size,
                                               bool invert) {
  RenderTarget target(size);
  target.bind();
  glClearColor(0, 0, 0, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  pass.draw(images, first, count, 1, PixelRect{0, 0, static_cast<float>(size.width), static_cast<float>(size.height)},
            size.width, size.height, invert);
  const ReadFramebufferGuard keep;
  return read_pixels(target.framebuffer(), size);
}

void ExploreExport::write_png_file(const char* what, const std::vector<uint8_t>& rgba, Size size) {
  const std::string path = next_path(what, ".png");
  try {
    write_rgba_png(path, rgba, size);
    message_ = "wrote the " + std::string(what) + " image (" + std::to_string(size.width) + "x" + std::to_string(size.height) +
               "): " + shown_path(path);
  } catch (const std::exception& error) {
    message_ = "could not write " + shown_path(path) + ": " + one_line_message(error.what());
  }
}

void ExploreExport::write_image(const ImageGridPass& pass, int image_side, GLuint images, int first, bool invert) {
  const int side = whole_multiple(image_side, kImageSize);
  write_png_file("explorer", render_row(pass, images, first, 1, {side, side}, invert), {side, side});
}

void ExploreExport::write_strip(const ImageGridPass& pass, int image_side, GLuint images, int first, int count,
                                bool invert) {
  const int side = std::min(image_side * 8, whole_multiple(image_side, kStripWidth / std::max(1, count)));
  const Size size{side * count, side};
  write_png_file("strip", render_row(pass, images, first, count, size, invert), size);
}

void ExploreExport::start_walk(WalkRequest request) {
  if (walking()) return;
  const ModelShape& shape = request.snapshot->shape;
  walk_side_ = whole_multiple(shape.image_side(), kImageSize) & ~1;  // yuv420p wants even sides
  walk_invert_ = request.invert;
  walk_next_ = 0;
  walk_path_ = next_path("walk", ".mp4");
  std::vector<float> latents;
  latents.reserve(static_cast<size_t>(kWalkFrames) * shape.latent());
  for (int i = 0; i < kWalkFrames; ++i) {
    const float t = static_cast<float>(i) / static_cast<float>(kWalkFrames - 1);
    const Latent z = request.spherical ? slerp(request.a, request.b, t) : lerp(request.a, request.b, t);
    latents.insert(latents.end(), z.begin(), z.end());
  }
  VideoSettings settings;
  settings.width = settings.height = walk_side_;
  settings.fps = kWalkFps;
  try {
    // A few milliseconds for 90 images on the CPU, once: the frames after it only draw and encode.
    const std::vector<float> images = generate_images(shape, request.snapshot->generator, latents, kWalkFrames);
    walk_images_ = gl::create_buffer();
    glNamedBufferStorage(walk_images_.get(), static_cast<GLsizeiptr>(images.size() * sizeof(float)), images.data(), 0);
    gl::check("uploading the walk's images");
    walk_target_ = std::make_unique<RenderTarget>(Size{walk_side_, walk_side_});
    encoder_ = std::make_unique<VideoEncoder>(walk_path_, settings);
    message_ = "writing the walk: 0 of " + std::to_string(kWalkFrames) + " frames";
  } catch (const std::exception& error) {
    fail_walk(error.what());
  }
}

void ExploreExport::continue_walk(const ImageGridPass& pass, std::chrono::milliseconds budget) {
  if (!walking()) return;
  const auto until = std::chrono::steady_clock::now() + budget;
  const Size size{walk_side_, walk_side_};
  try {
    do {
      walk_target_->bind();
      pass.draw(walk_images_.get(), walk_next_, 1, 1, PixelRect{0, 0, static_cast<float>(size.width), static_cast<float>(size.height)},
                size.width, size.height, walk_invert_);
      const ReadFramebufferGuard keep;
      const std::vector<uint8_t> rgba = read_pixels(walk_target_->framebuffer(), size);
      encoder_->write(rgba.data(), walk_next_);
      ++walk_next_;
    } while (walk_next_ < kWalkFrames && std::chrono::steady_clock::now() < until);
    message_ = "writing the walk: " + std::to_string(walk_next_) + " of " + std::to_string(kWalkFrames) + " frames";
    if (walk_next_ < kWalkFrames) return;
    encoder_->finish();
  } catch (const std::exception& error) {
    fail_walk(error.what());
    return;
  }
  char seconds[64];
  std::snprintf(seconds, sizeof(seconds), "%d frames, %.1f s at %d fps, %dx%d", kWalkFrames,
                static_cast<double>(kWalkFrames) / kWalkFps, kWalkFps, walk_side_, walk_side_);
  message_ = "wrote the walk from A to B (" + std::string(seconds) + "): " + shown_path(walk_path_);
  encoder_.reset();
  walk_target_.reset();
  walk_images_.reset();
}

void ExploreExport::fail_walk(const std::string& why) {
  message_ = "could not write the walk " + shown_path(walk_path_) + ": " + one_line_message(why);
  encoder_.reset();  // finalizes what it has under the .partial name
  walk_target_.reset();
  walk_images_.reset();
}

}  // namespace ganvas
