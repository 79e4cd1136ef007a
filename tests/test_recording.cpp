// Recording: 120 frames of known content encoded headless, decoded again with libavformat and
// compared with what was rendered; an unwritable path fails cleanly.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/context.h"
#include "common/error.h"
#include "engine/recorder.h"
#include "engine/video_encoder.h"
#include "tests/ui_driver.h"
#include "engine/render_target.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;
constexpr Size kSize{320, 240};

// Frame i: a colour gradient with a bright square that moves with i, drawn with scissored clears.
void draw_known_frame(int i) {
  glEnable(GL_SCISSOR_TEST);
  for (int band = 0; band < 8; ++band) {
    glScissor(band * kSize.width / 8, 0, kSize.width / 8, kSize.height);
    glClearColor(band / 8.0f, 0.3f + 0.05f * band, 1.0f - band / 8.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
  }
  glScissor(10 + i * 2, 60, 40, 40);
  glClearColor(1, 1, 0.9f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
}

double psnr_rgb(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  double squared = 0;
  size_t count = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i % 4 == 3) continue;  // alpha
    squared += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    ++count;
  }
  return squared == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 / (squared / count));
}

class Recording : public ::testing::Test {
 protected:
  void SetUp() override {
    context_ = create_headless(kSize);
    dir_ = fs::temp_directory_path() / ("ganvas_rec_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::unique_ptr<GlContext> context_;
  fs::path dir_;
};

TEST_F(Recording, HundredTwentyFramesDecodeAsRendered) {
  const std::string path = (dir_ / "known.mp4").string();
  VideoSettings video;
  video.width = kSize.width;
  video.height = kSize.height;
  video.fps = 30;
  video.quality = 18;
  RenderTarget target(kSize);
  std::vector<uint8_t> first, last;
  RecorderStatus status;
  {
    Recorder recorder(path, video, /*live=*/false);
    for (int i = 0; i < 120; ++i) {
      target.bind();
      draw_known_frame(i);
      if (i == 0) first = read_pixels(target.framebuffer(), kSize);
      if (i == 119) last = read_pixels(target.framebuffer(), kSize);
      recorder.capture(target.framebuffer());
    }
    status = recorder.stop();
  }
  EXPECT_TRUE(status.error.empty()) << status.error;
  EXPECT_EQ(status.written, 120);
  EXPECT_EQ(status.dropped, 0);
  EXPECT_FALSE(fs::exists(path + ".partial"));
  int width = 0, height = 0;
  const auto frames = test::decode_video(path, width, height);
  ASSERT_EQ(frames.size(), 120u);
  EXPECT_EQ(width, kSize.width);
  EXPECT_EQ(height, kSize.height);
  const double first_psnr = psnr_rgb(frames.front(), first), last_psnr = psnr_rgb(frames.back(), last);
  std::printf("PSNR first frame %.1f dB, last frame %.1f dB\n", first_psnr, last_psnr);
  EXPECT_GT(first_psnr, 30.0);
  EXPECT_GT(last_psnr, 30.0);
  EXPECT_LT(psnr_rgb(frames.front(), last), 30.0) << "the moving square must tell the two apart";
}

TEST_F(Recording, UnwritablePathFailsCleanly) {
  VideoSettings video;
  video.width = kSize.width;
  video.height = kSize.height;
  const std::string path = (dir_ / "missing-folder" / "x.mp4").string();
  try {
    Recorder recorder(path, video, true);
    FAIL() << "recording to a missing folder started";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot write"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

TEST_F(Recording, OddSizesAreRefused) {
  VideoSettings video;
  video.width = 321;
  video.height = 240;
  EXPECT_THROW(Recorder((dir_ / "odd.mp4").string(), video, true), Error);
}

}  // namespace
}  // namespace ganvas

namespace ganvas {
namespace {

std::string file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Eight grey frames into `path` through the encoder alone.
void encode_grey(const std::string& path) {
  VideoSettings video;
  video.width = 64;
  video.height = 48;
  video.prefer_nvenc = false;
  VideoEncoder encoder(path, video);
  const std::vector<uint8_t> grey(64 * 48 * 4, 128);
  for (int i = 0; i < 8; ++i) encoder.write(grey.data());
  encoder.finish();
}

TEST_F(Recording, ThePartialNameIsNeverFollowedWaitedOnOrReplaced) {
  const fs::path victim = dir_ / "victim.txt", linked = dir_ / "linked.mp4";
  std::ofstream(victim) << "a user's words";
  fs::create_symlink(victim, linked.string() + ".partial");
  encode_grey(linked.string());
  EXPECT_EQ(file_text(victim), "a user's words");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(linked))) << "the video is a file of its own, not a link";
  EXPECT_TRUE(fs::is_symlink(linked.string() + ".partial"));

  const fs::path piped = dir_ / "piped.mp4";  // a FIFO at the name would block an open for writing
  ASSERT_EQ(mkfifo((piped.string() + ".partial").c_str(), 0600), 0);
  encode_grey(piped.string());
  EXPECT_GT(fs::file_size(piped), 0u);

  const fs::path kept = dir_ / "kept.mp4";  // an earlier recording cut short, kept for its owner
  std::ofstream(kept.string() + ".partial") << "an earlier, cut-short recording";
  encode_grey(kept.string());
  EXPECT_EQ(file_text(kept.string() + ".partial"), "an earlier, cut-short recording");
  EXPECT_FALSE(fs::exists(kept.string() + ".2.partial"));
  EXPECT_GT(fs::file_size(kept), 0u);
}

TEST_F(Recording, AVideoGetsWhatTheUmaskGives) {
  const mode_t old = umask(077);
  encode_grey((dir_ / "private.mp4").string());
  umask(old);
  EXPECT_EQ(fs::status(dir_ / "private.mp4").permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace
}  // namespace ganvas
