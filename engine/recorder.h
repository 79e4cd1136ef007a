// Records frames to video without stalling the frame loop: asynchronous readback through a ring of
// pixel-buffer objects, a bounded queue, and an encoder thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gl_objects.h"
#include "video_encoder.h"

namespace ganvas {

struct RecorderStatus {
  bool recording = false;
  int64_t captured = 0;
  int64_t written = 0;
  int64_t dropped = 0;  // live recording only: frames let go because the encoder fell behind
  double seconds = 0;   // of video written
  std::string encoder;
  std::string path;
  std::string error;    // why recording stopped early
};

class Recorder {
 public:
  // Starts a recording of frames of the video's size. `live`: a frame that finds the queue full is
  // dropped and counted; otherwise capture() waits, and nothing is dropped. Throws ganvas::Error
  // when the file or the encoder cannot be opened.
  Recorder(const std::string& path, const VideoSettings& video, bool live);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Queues the pixels of `framebuffer` (its lower-left video-sized corner) for encoding.
  void capture(GLuint framebuffer);
  // Waits for queued frames, finalizes the file; the status says how it went.
  RecorderStatus stop();
  RecorderStatus status() const;

 private:
  void drain_readbacks(bool wait);
  void push(std::vector<uint8_t> frame);
  void encode_loop();

  static constexpr int kRing = 3;
  static constexpr size_t kQueue = 8;
  VideoSettings video_;
  bool live_;
  VideoEncoder encoder_;
  gl::Buffer pbos_[kRing];
  GLsync fences_[kRing] = {};
  int next_pbo_ = 0;
  int pending_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<uint8_t>> queue_;
  std::vector<std::vector<uint8_t>> spare_;  // recycled frame buffers
  bool closing_ = false;
  RecorderStatus status_;
  std::thread worker_;
};

}  // namespace ganvas
