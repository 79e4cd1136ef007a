// Benchmark: recording at 1920x1080 — the encoder alone, and the recorder's cost in frame time.
//
// usage: ganvas_bench_encode [FRAMES]   (default 300)
// Prints frames/s of VideoEncoder::write alone, then, for the recorder fed from a GL framebuffer,
// the milliseconds capture() takes per frame (what recording costs the frame loop) and the
// throughput of the whole offline pipeline.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "engine/context.h"
#include "common/error.h"
#include "engine/recorder.h"
#include "engine/render_target.h"

int main(int argc, char** argv) {
  using namespace ganvas;
  using clock = std::chrono::steady_clock;
  const int frames = argc > 1 ? std::max(1, std::atoi(argv[1])) : 300;
  const Size size{1920, 1080};
  const std::string dir = (std::filesystem::temp_directory_path() / "ganvas_encode_bench").string();
  std::filesystem::create_directories(dir);
  try {
    VideoSettings video;
    video.width = size.width;
    video.height = size.height;
    video.fps = 60;
    std::vector<uint8_t> rgba(static_cast<size_t>(size.width) * size.height * 4);
    std::string encoder_name;
    {
      VideoEncoder encoder(dir + "/encoder.mp4", video);
      encoder_name = encoder.encoder_name();
      const auto start = clock::now();
      for (int i = 0; i < frames; ++i) {
        for (size_t p = 0; p < rgba.size(); p += 4) rgba[p] = static_cast<uint8_t>((p / 4 + i * 7) % 251);
        encoder.write(rgba.data());
      }
      encoder.finish();
      const double seconds = std::chrono::duration<double>(clock::now() - start).count();
      std::printf("encoder %s alone, 1920x1080: %.1f frames/s (%d frames, pattern filling included)\n",
                  encoder_name.c_str(), frames / seconds, frames);
    }
    auto context = create_headless(size);
    RenderTarget target(size);
    for (bool live : {false, true}) {
      Recorder recorder(dir + "/recorder.mp4", video, live);
      std::vector<double> capture_ms;
      const auto start = clock::now();
      for (int i = 0; i < frames; ++i) {
        target.bind();
        glClearColor((i % 60) / 60.0f, 0.4f, 0.6f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        const auto before = clock::now();
        recorder.capture(target.framebuffer());
        capture_ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - before).count());
      }
      const double seconds = std::chrono::duration<double>(clock::now() - start).count();
      const RecorderStatus status = recorder.stop();
      std::sort(capture_ms.begin(), capture_ms.end());
      std::printf("recorder %s: %.1f frames/s fed, %lld written, %lld dropped; capture() p50 %.2f ms, p99 %.2f ms\n",
                  live ? "live (drops when the encoder is behind)" : "offline (waits, drops nothing)",
                  frames / seconds, static_cast<long long>(status.written), static_cast<long long>(status.dropped),
                  capture_ms[capture_ms.size() / 2], capture_ms[capture_ms.size() * 99 / 100]);
    }
    std::printf("GL: %s\n", context->description().c_str());
  } catch (const Error& e) {
    std::fprintf(stderr, "ganvas_bench_encode: %s\n", e.what());
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
