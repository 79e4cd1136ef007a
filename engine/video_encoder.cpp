// libavcodec/libavformat H.264 encoding into MP4, with its own RGBA -> yuv420p conversion.
#include "engine/video_encoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
}

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "common/atomic_file.h"
#include "common/error.h"

namespace ganvas {
namespace {

std::string av_message(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof(text));
  return text;
}

// An opened encoder of `name` for the settings, or nullptr if it cannot open here.
AVCodecContext* open_codec(const char* name, const VideoSettings& s, bool global_header) {
  const AVCodec* codec = avcodec_find_encoder_by_name(name);
  if (!codec) return nullptr;
  AVCodecContext* context = avcodec_alloc_context3(codec);
  if (!context) return nullptr;
  context->width = s.width;
  context->height = s.height;
  context->time_base = AVRational{1, s.fps};
  context->framerate = AVRational{s.fps, 1};
  context->pix_fmt = AV_PIX_FMT_YUV420P;
  context->gop_size = s.fps * 2;
  if (global_header) context->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  const std::string quality = std::to_string(s.quality);
  if (std::string(name) == "libx264") {
    av_opt_set(context->priv_data, "preset", "veryfast", 0);
    av_opt_set(context->priv_data, "crf", quality.c_str(), 0);
  } else {
    av_opt_set(context->priv_data, "preset", "p4", 0);
    av_opt_set(context->priv_data, "rc", "vbr", 0);
    av_opt_set(context->priv_data, "cq", quality.c_str(), 0);
  }
  if (avcodec_open2(context, codec, nullptr) < 0) {
    avcodec_free_context(&context);
    return nullptr;
  }
  return context;
}

// The video's file while it is written, and libavformat's output into it. It is created new, under
// the first free name of PATH.partial, PATH.2.partial, ...: never through a symbolic link, into a
// FIFO, or over an earlier recording's kept .partial file.
class PartialFile {
 public:
  explicit PartialFile(const std::string& path) {
    for (int n = 1; fd_ < 0; ++n) {
      name_ = path + (n == 1 ? "" : "." + std::to_string(n)) + ".partial";
      fd_ = open(name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
      if (fd_ < 0 && (errno != EEXIST || n == 100)) GANVAS_THROW("cannot write " + name_ + ": " + std::strerror(errno));
    }
    constexpr int kBufferSize = 1 << 16;
    auto* buffer = static_cast<unsigned char*>(av_malloc(kBufferSize));
    io_ = buffer ? avio_alloc_context(buffer, kBufferSize, 1, this, nullptr, &write_packet, &seek) : nullptr;
    if (!io_) {
      av_free(buffer);
      close(fd_);
      unlink(name_.c_str());
      GANVAS_THROW("out of memory setting up " + name_);
    }
  }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  ~PartialFile() {
    if (io_) av_freep(&io_->buffer);
    avio_context_free(&io_);
    if (fd_ >= 0) close(fd_);
    if (unused_) unlink(name_.c_str());
  }

  AVIOContext* io() const { return io_; }
  const std::string& name() const { return name_; }
  // The first write error since it opened ("" for none), after writing out what is buffered.
  std::string flush() {
    avio_flush(io_);
    if (io_->error < 0) return "writing " + name_ + " failed: " + av_message(io_->error);
    if (fsync(fd_) != 0) return "writing " + name_ + " failed: " + std::strerror(errno);
    return "";
  }
  // Removed when it goes: nothing of the video was written.
  void mark_unused() { unused_ = true; }

 private:
  static int write_packet(void* opaque, uint8_t* data, int size) {
    const int fd = static_cast<PartialFile*>(opaque)->fd_;
    for (int written = 0; written < size;) {
      const ssize_t n = ::write(fd, data + written, static_cast<size_t>(size - written));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return AVERROR(n < 0 ? errno : EIO);
      written += static_cast<int>(n);
    }
    return size;
  }
  static int64_t seek(void* opaque, int64_t offset, int whence) {
    const int fd = static_cast<PartialFile*>(opaque)->fd_;
    if (whence & AVSEEK_SIZE) {
      struct stat info {};
      return fstat(fd, &info) == 0 ? static_cast<int64_t>(info.st_size) : AVERROR(errno);
    }
    const off_t position = lseek(fd, offset, whence & ~AVSEEK_FORCE);
    return position < 0 ? AVERROR(errno) : position;
  }

  std::string name_;
  int fd_ = -1;
  AVIOContext* io_ = nullptr;
  bool unused_ = false;
};

// fsync of the folder that holds `path`, so a rename into it outlives a power cut.
void sync_folder_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

// BT.601 limited range, as swscale's default: luma per pixel, chroma from the mean of each 2x2
// block. A third of swscale's time for 1080p, which matters when the encoder shares two cores with
// the frame loop. Even sizes only (the encoder refuses odd ones).
uint8_t luma(const uint8_t* p) { return static_cast<uint8_t>(((66 * p[0] + 129 * p[1] + 25 * p[2] + 128) >> 8) + 16); }

void rgba_to_yuv420p(const uint8_t* rgba, int width, int height, AVFrame& frame) {
  const size_t row = static_cast<size_t>(width) * 4;
  for (int y = 0; y < height; y += 2) {
    const uint8_t* top = rgba + y * row;
    const uint8_t* bottom = top + row;
    uint8_t* luma_top = frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0];
    uint8_t* luma_bottom = luma_top + frame.linesize[0];
    for (int x = 0; x < width; ++x) {
      luma_top[x] = luma(top + 4 * x);
      luma_bottom[x] = luma(bottom + 4 * x);
    }
    uint8_t* u = frame.data[1] + static_cast<ptrdiff_t>(y / 2) * frame.linesize[1];
    uint8_t* v = frame.data[2] + static_cast<ptrdiff_t>(y / 2) * frame.linesize[2];
    for (int x = 0; x < width / 2; ++x) {
      const uint8_t* a = top + 8 * x;
      const uint8_t* b = bottom + 8 * x;
      const int r = a[0] + a[4] + b[0] + b[4], g = a[1] + a[5] + b[1] + b[5], blue = a[2] + a[6] + b[2] + b[6];
      u[x] = static_cast<uint8_t>(((-38 * r - 74 * g + 112 * blue + 512) >> 10) + 128);
      v[x] = static_cast<uint8_t>(((112 * r - 94 * g - 18 * blue + 512) >> 10) + 128);
    }
  }
}

}  // namespace

struct VideoEncoder::State {
  std::string path, partial;
  std::unique_ptr<PartialFile> file;
  VideoSettings settings;
  std::string encoder;
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  int64_t frames = 0;
  int64_t next_index = 0;  // the earliest index the next frame may take
  std::string write_error;  // the first failed write, if one failed
  bool header_written = false;
  bool finished = false;

  ~State() {
    if (file && !header_written) file->mark_unused();  // failed before the first byte of video
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    if (format) {
      format->pb = nullptr;  // the file's, freed with it
      avformat_free_context(format);
    }
  }

  // Sends a frame (or nullptr to flush) and writes every packet that comes out.
  void encode(AVFrame* input) {
    int status = avcodec_send_frame(codec, input);
    if (status < 0) GANVAS_THROW("encoding a frame of " + path + " failed: " + av_message(status));
    for (;;) {
      status = avcodec_receive_packet(codec, packet);
      if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
      if (status < 0) GANVAS_THROW("encoding " + path + " failed: " + av_message(status));
      av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      status = av_interleaved_write_frame(format, packet);
      av_packet_unref(packet);
      if (status < 0) GANVAS_THROW("writing " + partial + " failed: " + av_message(status));
    }
  }

  // Flush, trailer, close, rename. Throws the first failure after doing what it can.
  void finalize() {
    if (finished) return;
    finished = true;
    std::string failure;
    try {
      encode(nullptr);
    } catch (const Error& e) {
      failure = e.what();
    }
    if (header_written) {
      const int status = av_write_trailer(format);
      if (status < 0 && failure.empty()) failure = "finishing " + partial + " failed: " + av_message(status);
    }
    const std::string flushed = file->flush();
    if (failure.empty()) failure = flushed;
    if (!failure.empty() || !write_error.empty()) {  // never a file under the final name that may not play
      GANVAS_THROW((failure.empty() ? write_error : failure) + "; the incomplete video is kept as " + partial +
                   " (" + std::to_string(frames) + " frames; it may not play)");
    }
    if (rename(partial.c_str(), path.c_str()) != 0) {
      GANVAS_THROW("cannot move " + partial + " to " + path + ": " + std::strerror(errno));
    }
    sync_folder_of(path);
  }
};

VideoEncoder::VideoEncoder(const std::string& path, const VideoSettings& settings) : state_(std::make_unique<State>()) {
  // Encoders that do not open here (NVENC without a GPU) are expected; failures that matter reach
  // the caller as ganvas::Error, so libav's own log stays quiet.
  av_log_set_level(AV_LOG_FATAL);
  State& s = *state_;
  s.path = output_file_target(path);  // never renamed over a device, a FIFO or a link
  s.settings = settings;
  if (settings.width <= 0 || settings.height <= 0 || settings.width % 2 || settings.height % 2) {
    GANVAS_THROW("video size " + std::to_string(settings.width) + "x" + std::to_string(settings.height) +
                 " must be positive and even");
  }
  if (avformat_alloc_output_context2(&s.format, nullptr, "mp4", nullptr) < 0 || !s.format) {
    GANVAS_THROW("the MP4 muxer is not available");
  }
  const bool global_header = (s.format->oformat->flags & AVFMT_GLOBALHEADER) != 0;
  if (settings.prefer_nvenc) {
    s.codec = open_codec("h264_nvenc", settings, global_header);
    if (s.codec) s.encoder = "h264_nvenc";
  }
  if (!s.codec) {
    s.codec = open_codec("libx264", settings, global_header);
    if (s.codec) s.encoder = "libx264";
  }
  if (!s.codec) GANVAS_THROW("no H.264 encoder opens here (neither h264_nvenc nor libx264)");
  s.stream = avformat_new_stream(s.format, nullptr);
  if (!s.stream) GANVAS_THROW("cannot add a video stream to " + path);
  s.stream->time_base = s.codec->time_base;
  avcodec_parameters_from_context(s.stream->codecpar, s.codec);
  s.file = std::make_unique<PartialFile>(s.path);
  s.partial = s.file->name();
  s.format->pb = s.file->io();
  s.format->flags |= AVFMT_FLAG_CUSTOM_IO;
  const int header = avformat_write_header(s.format, nullptr);
  if (header < 0) GANVAS_THROW("cannot start " + s.partial + ": " + av_message(header));
  s.header_written = true;
  s.frame = av_frame_alloc();
  s.packet = av_packet_alloc();
  if (!s.frame || !s.packet) GANVAS_THROW("out of memory setting up video encoding");
  s.frame->format = AV_PIX_FMT_YUV420P;
  s.frame->width = settings.width;
  s.frame->height = settings.height;
  if (av_frame_get_buffer(s.frame, 0) < 0) GANVAS_THROW("out of memory for a video frame");
}

VideoEncoder::~VideoEncoder() {
  if (!state_ || state_->finished || !state_->header_written) return;
  try {
    state_->finalize();
  } catch (const Error& e) {
    std::fprintf(stderr, "ganvas: %s\n", e.what());
  }
}

void VideoEncoder::write(const uint8_t* rgba, int64_t index) {
  State& s = *state_;
  GANVAS_CHECK(!s.finished, "the video " + s.path + " is already finished");
  if (index < 0) index = s.next_index;
  GANVAS_CHECK(index >= s.next_index, "video frames of " + s.path + " must come in order");
  if (av_frame_make_writable(s.frame) < 0) GANVAS_THROW("out of memory for a video frame");
  rgba_to_yuv420p(rgba, s.settings.width, s.settings.height, *s.frame);
  s.frame->pts = index;
  try {
    s.encode(s.frame);
  } catch (const Error& e) {
    if (s.write_error.empty()) s.write_error = e.what();
    throw;
  }
  ++s.frames;
  s.next_index = index + 1;
}

void VideoEncoder::finish() { state_->finalize(); }

const std::string& VideoEncoder::encoder_name() const { return state_->encoder; }

int64_t VideoEncoder::frames_written() const { return state_->frames; }

double VideoEncoder::seconds() const { return static_cast<double>(state_->next_index) / state_->settings.fps; }

}  // namespace ganvas
