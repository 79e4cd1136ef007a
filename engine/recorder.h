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
  // Live only: slots of the video that no frame was captured for (the frame loop was slower than the
  // video's rate), so the frame before shows again.
  int64_t repeated = 0;
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

  using Clock = std::chrono::steady_clock;
  // Whether a frame of the moment `at` would be kept (live: its slot of the video is still empty), so
  // a caller can skip drawing one that capture() would let go.
  bool wants_frame(Clock::time_point at = Clock::now()) const;
  // Live: the middle of the next slot without a frame, the best moment for a frame to start, so
  // that a frame a little early or late still finds its slot.
  Clock::time_point next_due() const;
  // Queues the pixels of `framebuffer` (its lower-left video-sized corner) for encoding; live, as the
  // frame of the moment `at` (when the frame began: what it shows is of then).
  void capture(GLuint framebuffer, Clock::time_point at = Clock::now());
  // Waits for queued frames, finalizes the file; the status says how it went.
  RecorderStatus stop();
  RecorderStatus status() const;

 private:
  struct Frame {
    std::vector<uint8_t> pixels;
    int64_t index = 0;  // in frames of the video's rate
  };
  int64_t index_at(Clock::time_point at) const;  // the video frame that a capture of `at` falls on
  // index_at(at), or -1 when that frame is taken already (live only); updates the seconds shown.
  int64_t next_index(Clock::time_point at);
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
  Clock::time_point start_;
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
