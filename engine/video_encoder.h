// H.264 MP4 files from RGBA frames through libavcodec/libavformat: NVENC when it opens, else x264.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace ganvas {

struct VideoSettings {
  int width = 0;   // even numbers (yuv420p)
  int height = 0;
  int fps = 30;
  int quality = 20;  // constant quality: x264's CRF, NVENC's CQ (lower is better, 0-51)
  bool prefer_nvenc = true;
};

class VideoEncoder {
 public:
  // Creates `path`.partial for writing (a new file: where that name is taken, by a link, a FIFO or
  // an earlier recording's kept file, `path`.2.partial and so on); finish() renames it to `path`.
  // Throws ganvas::Error with a clear message (unwritable path, no encoder, bad size).
  VideoEncoder(const std::string& path, const VideoSettings& settings);
  // Finalizes what was written if finish() was not called (never throws).
  ~VideoEncoder();
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // Encodes one frame of RGBA pixels, rows top to bottom, shown at `index` / fps seconds (-1: right
  // after the previous frame; a gap makes the previous frame last longer). Indices must increase.
  // Throws on a write error (a full disk).
  void write(const uint8_t* rgba, int64_t index = -1);
  // Flushes the encoder, writes the MP4 trailer and moves the file into place. After any write
  // failure (a full disk) it finalizes what it can but keeps the `.partial` name, and throws saying so.
  void finish();

  const std::string& encoder_name() const;  // "h264_nvenc" or "libx264"
  int64_t frames_written() const;
  // Seconds of video written so far: up to the end of the last frame.
  double seconds() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ganvas
