// Records frames to video without stalling the frame loop: asynchronous readback through a ring of
// pixel-buffer objects, a bounded queue, and an encoder thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/gl_objects.h"
#include "engine/video_encoder.h"

namespace ganvas {

struct RecorderStatus {
  bool recording = false;
  int64_t captured = 0;
  int64_t written = 0;
  int64_t dropped = 0;  // live recording only: frames let go because the encoder fell behind
  double seconds = 0;   // live: seconds since recording started; offline: of video written
  std::string encoder;
  std::string path;
  std::string error;    // why recording stopped early
};

class Recorder {
 public:
  // Starts a recording of frames of the video's size. `live`: each frame is stamped with the time it
  // was captured, so the video plays in real time whatever the frame rate (frames faster than the
  // video's rate are skipped, slower ones last longer), and a frame that finds the queue full is
  // dropped and counted. Otherwise every frame is the next one of the video, capture() waits, and
  // nothing is dropped. Throws ganvas::Error when the file or the encoder cannot be opened.
  Recorder(const std::string& path, const VideoSettings& video, bool live);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Whether a frame captured now would be kept (live: its slot of the video is still empty), so a
  // caller can skip drawing one that capture() would let go.
  bool wants_frame() const;
  // Queues the pixels of `framebuffer` (its lower-left video-sized corner) for encoding.
  void capture(GLuint framebuffer);
  // Waits for queued frames, finalizes the file; the status says how it went.
  RecorderStatus stop();
  RecorderStatus status() const;

 private:
  struct Frame {
    std::vector<uint8_t> pixels;
    int64_t index = 0;  // in frames of the video's rate
  };
  int64_t index_now() const;  // the video frame that a capture now falls on
  // index_now(), or -1 when that frame is taken already (live only); updates the seconds shown.
  int64_t next_index();
  void drain_readbacks(bool wait);
  void push(Frame frame);
  void encode_loop();

  static constexpr int kRing = 3;
  static constexpr size_t kQueue = 8;
  VideoSettings video_;
  bool live_;
  VideoEncoder encoder_;
  gl::Buffer pbos_[kRing];
  GLsync fences_[kRing] = {};
  int64_t indices_[kRing] = {};
  int64_t last_index_ = -1;
  std::chrono::steady_clock::time_point start_;
  int next_pbo_ = 0;
  int pending_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Frame> queue_;
  std::vector<std::vector<uint8_t>> spare_;  // recycled frame buffers
  bool closing_ = false;
  RecorderStatus status_;
  std::thread worker_;
};

}  // namespace ganvas
