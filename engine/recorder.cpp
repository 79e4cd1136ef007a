// The recorder: PBO ring readback on the GL thread, encoding on its own thread.
#include "engine/recorder.h"

#include <algorithm>
#include <cstring>

#include "common/error.h"

namespace ganvas {

Recorder::Recorder(const std::string& path, const VideoSettings& video, bool live)
    : video_(video), live_(live), encoder_(path, video) {
  const GLsizeiptr bytes = static_cast<GLsizeiptr>(video.width) * video.height * 4;
  for (gl::Buffer& pbo : pbos_) {
    pbo = gl::create_buffer();
    glNamedBufferData(pbo.get(), bytes, nullptr, GL_STREAM_READ);
  }
  gl::check("creating the recorder's pixel buffers");
  status_.recording = true;
  status_.encoder = encoder_.encoder_name();
  status_.path = path;
  start_ = Clock::now();
  worker_ = std::thread([this] { encode_loop(); });
}

Recorder::~Recorder() {
  if (worker_.joinable()) stop();
}

int64_t Recorder::index_at(Clock::time_point at) const {
  if (!live_) return last_index_ + 1;
  const double elapsed = std::chrono::duration<double>(at - start_).count();
  return std::max<int64_t>(0, static_cast<int64_t>(elapsed * video_.fps));  // a frame begun before the start: the first
}

bool Recorder::wants_frame(Clock::time_point at) const { return index_at(at) > last_index_; }

Recorder::Clock::time_point Recorder::next_due() const {
  return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>((last_index_ + 1.5) / video_.fps));
}

int64_t Recorder::next_index(Clock::time_point at) {
  const int64_t index = index_at(at);
  if (live_) {
    std::lock_guard lock(mutex_);
    status_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  }
  return index > last_index_ ? index : -1;
}

void Recorder::capture(GLuint framebuffer, Clock::time_point at) {
  {
    std::lock_guard lock(mutex_);
    if (!status_.recording) return;
  }
  const int64_t index = next_index(at);
  if (index < 0) return;  // faster than the video's rate: this frame's slot is filled
  {
    std::lock_guard lock(mutex_);
    ++status_.captured;
    if (live_) status_.repeated += index - last_index_ - 1;
  }
  last_index_ = index;
  if (pending_ == kRing) drain_readbacks(!live_);
  if (pending_ == kRing) {  // the GPU has not finished the oldest readback: let this frame go
    std::lock_guard lock(mutex_);
    ++status_.dropped;
    return;
  }
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, pbos_[next_pbo_].get());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, video_.width, video_.height, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  fences_[next_pbo_] = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
  indices_[next_pbo_] = index;
  next_pbo_ = (next_pbo_ + 1) % kRing;
  ++pending_;
  gl::check("reading a frame back for recording");
  drain_readbacks(false);
}

// Moves finished readbacks, oldest first, into the encoder's queue; with `wait`, waits for the oldest.
void Recorder::drain_readbacks(bool wait) {
  while (pending_ > 0) {
    const int oldest = (next_pbo_ - pending_ + kRing) % kRing;
    const GLenum state = glClientWaitSync(fences_[oldest], GL_SYNC_FLUSH_COMMANDS_BIT, wait ? GL_TIMEOUT_IGNORED : 0);
    if (state == GL_TIMEOUT_EXPIRED) return;
    glDeleteSync(fences_[oldest]);
    fences_[oldest] = nullptr;
    --pending_;
    wait = false;
    Frame frame;
    frame.index = indices_[oldest];
    {
      std::lock_guard lock(mutex_);
      if (!spare_.empty()) {
        frame.pixels = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    const size_t row = static_cast<size_t>(video_.width) * 4;
    frame.pixels.resize(row * video_.height);
    const auto* pixels = static_cast<const uint8_t*>(glMapNamedBufferRange(
        pbos_[oldest].get(), 0, static_cast<GLsizeiptr>(frame.pixels.size()), GL_MAP_READ_BIT));
    if (!pixels) GANVAS_THROW("mapping a recorded frame failed");
    for (int y = 0; y < video_.height; ++y) {  // GL's rows run bottom-up, video's top-down
      std::memcpy(frame.pixels.data() + y * row, pixels + (video_.height - 1 - y) * row, row);
    }
    glUnmapNamedBuffer(pbos_[oldest].get());
    push(std::move(frame));
  }
}

void Recorder::push(Frame frame) {
  std::unique_lock lock(mutex_);
  if (live_ && queue_.size() >= kQueue) {
    ++status_.dropped;
    spare_.push_back(std::move(frame.pixels));
    return;
  }
  changed_.wait(lock, [this] { return queue_.size() < kQueue || !status_.recording; });
  if (!status_.recording) return;
  queue_.push_back(std::move(frame));
  changed_.notify_all();
}

void Recorder::encode_loop() {
  for (;;) {
    Frame frame;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;
      frame = std::move(queue_.front());
      queue_.pop_front();
      changed_.notify_all();
    }
    try {
      encoder_.write(frame.pixels.data(), frame.index);
    } catch (const Error& e) {
      std::lock_guard lock(mutex_);
      status_.error = e.what();
      status_.recording = false;
      queue_.clear();
      changed_.notify_all();
      return;
    }
    std::lock_guard lock(mutex_);
    ++status_.written;
    if (!live_) status_.seconds = encoder_.seconds();
    spare_.push_back(std::move(frame.pixels));
  }
}

RecorderStatus Recorder::stop() {
  if (worker_.joinable()) {
    try {
      while (pending_ > 0) drain_readbacks(true);
    } catch (const Error& e) {
      std::lock_guard lock(mutex_);
      if (status_.error.empty()) status_.error = e.what();
    }
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      changed_.notify_all();
    }
    worker_.join();
    try {
      encoder_.finish();  // also after an error: it says where what was written is kept
    } catch (const Error& e) {
      std::lock_guard lock(mutex_);
      status_.error = e.what();
    }
    std::lock_guard lock(mutex_);
    status_.recording = false;
  }
  return status();
}

RecorderStatus Recorder::status() const {
  std::lock_guard lock(mutex_);
  RecorderStatus status = status_;
  if (live_ && status.recording) status.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  return status;
}

}  // namespace ganvas
