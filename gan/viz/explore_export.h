// Files from the Explore tab: the explorer image and the strip as PNGs, the A-to-B walk as an MP4.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/context.h"
#include "engine/gl_objects.h"
#include "gan/model/latent.h"
#include "gan/train/live_trainer.h"
#include "gan/render/image_grid_pass.h"

namespace ganvas {

class VideoEncoder;
class RenderTarget;

// The walk a user asked for: its weights and anchors are taken when the button is clicked, so
// training on, or new anchors, change nothing in a video being written.
struct WalkRequest {
  std::shared_ptr<const LiveSnapshot> snapshot;
  Latent a, b;
  bool spherical = true;
  bool invert = true;
};

class ExploreExport {
 public:
  // The walk: t from 0 to 1 in 3 seconds at 30 frames a second, A on the first frame, B on the last.
  static constexpr int kWalkFps = 30;
  static constexpr int kWalkFrames = 90;
  // The explorer image (and each walk frame) is the largest whole multiple of the image's side up to
  // this: every pixel of the digit a clean square (504x504 for MNIST).
  static constexpr int kImageSize = 512;
  // The strip's images are magnified up to 8 times, the whole strip kept within this width.
  static constexpr int kStripWidth = 4096;

  // Writes into `folder` (made when missing), as explorer-N.png, strip-N.png and walk-N.mp4.
  explicit ExploreExport(std::string folder);
  ~ExploreExport();

  // Both PNGs draw `count` images from `first` of the GL buffer `images` in a row, as the canvas
  // does (`invert`: black on white), and say what they wrote in message(). GL is current.
  void write_image(const ImageGridPass& pass, int image_side, GLuint images, int first, bool invert);
  void write_strip(const ImageGridPass& pass, int image_side, GLuint images, int first, int count, bool invert);
  // Starts writing the walk; continue_walk then writes some of its frames in each window frame.
  void start_walk(WalkRequest request);
  bool walking() const { return encoder_ != nullptr; }
  // Writes frames until `budget` has passed (at least one), and the file once the last is in.
  void continue_walk(const ImageGridPass& pass, std::chrono::milliseconds budget);
  int walk_frames_written() const { return walk_next_; }

  // What the latest export wrote (its absolute path), or why it could not; before any, where files go.
  const std::string& message() const { return message_; }
  // The folder's next NAME-N.EXT that no file there has, N counting up from the last one this run used.
  std::string next_path(const std::string& name, const std::string& extension);

 private:
  std::vector<uint8_t> render_row(const ImageGridPass& pass, GLuint images, int first, int count, Size size, bool invert);
  void write_png_file(const char* what, const std::vector<uint8_t>& rgba, Size size);
  void fail_walk(const std::string& why);

  std::string folder_;
  int counter_ = 0;
  std::string message_;
  // The walk being written: its images sampled at the start, drawn and encoded a few per frame.
  std::unique_ptr<VideoEncoder> encoder_;
  std::unique_ptr<RenderTarget> walk_target_;
  gl::Buffer walk_images_;
  std::string walk_path_;
  bool walk_invert_ = true;
  int walk_next_ = 0;
  int walk_side_ = 0;
};

}  // namespace ganvas
