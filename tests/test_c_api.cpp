// The C API as a host uses it: libganvas.so through include/ganvas/ganvas.h only, rendering into a
// texture of the host's own headless EGL context, and every kind of misuse answered with an error.
#include <gtest/gtest.h>

#include <EGL/egl.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/context.h"
#include "ganvas/ganvas.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

ganvas_create_info create_info(const char* data_dir) {
  ganvas_create_info info{};
  info.struct_size = sizeof(info);
  info.data_dir = data_dir;
  info.device = GANVAS_DEVICE_CPU;
  return info;
}

// An explore-only context (no data: the bundled model) or one that trains on MNIST.
struct Context {
  explicit Context(const char* data_dir = nullptr, ganvas_create_info info = create_info(nullptr)) {
    info.data_dir = data_dir;
    EXPECT_EQ(ganvas_create(&info, &handle), GANVAS_OK);
  }
  ~Context() {
    if (handle) ganvas_destroy(handle);
  }
  ganvas_context* handle = nullptr;
};

void* egl_proc(void*, const char* name) { return reinterpret_cast<void*>(eglGetProcAddress(name)); }

std::vector<uint8_t> read_view(ganvas_context* context, int32_t view) {
  int32_t width = 0, height = 0;
  EXPECT_EQ(ganvas_view_size(context, view, &width, &height), GANVAS_OK);
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * 4);
  EXPECT_EQ(ganvas_read_view(context, view, GANVAS_FORMAT_RGBA8, 1, pixels.data(), pixels.size()), GANVAS_OK);
  return pixels;
}

TEST(CApi, VersionAndResultNames) {
  EXPECT_EQ(ganvas_api_version(), GANVAS_API_VERSION);
  EXPECT_STREQ(ganvas_result_string(GANVAS_OK), "ok");
  EXPECT_STREQ(ganvas_result_string(GANVAS_ERROR_INVALID_HANDLE), "invalid handle (null, or destroyed)");
  EXPECT_STREQ(ganvas_result_string(-99), "unknown result");
}

TEST(CApi, CreateInfoFromTheFutureOrTheVoidIsRefused) {
  ganvas_context* context = nullptr;
  ganvas_create_info info = create_info(nullptr);
  info.struct_size = sizeof(info) + 8;
  EXPECT_EQ(ganvas_create(&info, &context), GANVAS_ERROR_UNSUPPORTED);
  EXPECT_EQ(context, nullptr);
  info.struct_size = 4;
  EXPECT_EQ(ganvas_create(&info, &context), GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ganvas_create(nullptr, &context), GANVAS_ERROR_INVALID_ARGUMENT);
  info = create_info(nullptr);
  info.grid = 99;
  EXPECT_EQ(ganvas_create(&info, &context), GANVAS_ERROR_INVALID_ARGUMENT);
  info = create_info(nullptr);
  info.checkpoint = "/nonexistent.safetensors";
  EXPECT_EQ(ganvas_create(&info, &context), GANVAS_ERROR_FILE);
  info = create_info("/nonexistent-mnist");  // a host that names data means to train on it
  EXPECT_EQ(ganvas_create(&info, &context), GANVAS_ERROR_FILE);
  info = create_info(nullptr);
  info.device = GANVAS_DEVICE_CUDA;
  const int32_t cuda = ganvas_create(&info, &context);
  if (cuda == GANVAS_OK) {
    ganvas_destroy(context);  // a machine with a usable GPU
  } else {
    EXPECT_EQ(cuda, GANVAS_ERROR_UNSUPPORTED);
  }
}

TEST(CApi, DestroyDoesNotWaitForEveryQueuedStep) {
  const std::string data = test::mnist_dir();
  ganvas_context* context = nullptr;
  const ganvas_create_info info = create_info(data.c_str());
  ASSERT_EQ(ganvas_create(&info, &context), GANVAS_OK);
  ASSERT_EQ(ganvas_train_steps(context, 100000000), GANVAS_OK);
  auto destroyed = std::async(std::launch::async, [context] { return ganvas_destroy(context); });
  ASSERT_EQ(destroyed.wait_for(std::chrono::seconds(60)), std::future_status::ready)
      << "destroy waited for a hundred million queued steps";
  EXPECT_EQ(destroyed.get(), GANVAS_OK);
}

TEST(CApi, NullAndDestroyedHandlesAreErrorsNotCrashes) {
  EXPECT_EQ(ganvas_set_training(nullptr, 1), GANVAS_ERROR_INVALID_HANDLE);
  ganvas_context* context = nullptr;
  const ganvas_create_info info = create_info(nullptr);
  ASSERT_EQ(ganvas_create(&info, &context), GANVAS_OK);
  EXPECT_EQ(ganvas_destroy(context), GANVAS_OK);
  EXPECT_EQ(ganvas_set_t(context, 0.5f), GANVAS_ERROR_INVALID_HANDLE);
  EXPECT_EQ(ganvas_destroy(context), GANVAS_ERROR_INVALID_HANDLE);
  EXPECT_STREQ(ganvas_last_error(context), "invalid handle (null, or destroyed)");
}

// The probe's case: a new context at the address of a destroyed one. The handle held is a token
// with a generation, so the old one stays refused and cannot reach the new context.
TEST(CApi, AStaleHandleNeverReachesANewContext) {
  const ganvas_create_info info = create_info(nullptr);
  ganvas_context* stale = nullptr;
  ASSERT_EQ(ganvas_create(&info, &stale), GANVAS_OK);
  ASSERT_EQ(ganvas_destroy(stale), GANVAS_OK);
  Context fresh;
  ASSERT_NE(fresh.handle, nullptr);
  EXPECT_NE(fresh.handle, stale) << "a destroyed context's handle is never handed out again";
  EXPECT_EQ(ganvas_set_t(stale, 0.5f), GANVAS_ERROR_INVALID_HANDLE);
  EXPECT_EQ(ganvas_destroy(stale), GANVAS_ERROR_INVALID_HANDLE);
  EXPECT_STREQ(ganvas_last_error(stale), "invalid handle (null, or destroyed)");
  EXPECT_EQ(ganvas_set_t(fresh.handle, 0.5f), GANVAS_OK) << "destroying the stale handle left the new context alone";
  EXPECT_EQ(ganvas_set_t(reinterpret_cast<ganvas_context*>(uintptr_t{0x1234}), 0.5f), GANVAS_ERROR_INVALID_HANDLE)
      << "a handle ganvas never gave";
}

// The steps at the time of the call; ganvas_get_stats's step.
uint64_t step_of(ganvas_context* context) {
  ganvas_stats stats{};
  stats.struct_size = sizeof(stats);
  EXPECT_EQ(ganvas_get_stats(context, &stats), GANVAS_OK);
  return stats.step;
}

// Polls `done` every 10 ms for up to `seconds` (a guard against hanging, not a speed goal).
template <class Done>
bool eventually(Done done, int seconds = 60) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

TEST(CApi, WaitReturnsOnceItsStepsRanWhileAnotherThreadTrains) {
  const std::string data = test::mnist_dir();
  Context context(data.c_str());
  ASSERT_EQ(ganvas_train_steps(context.handle, 300), GANVAS_OK);
  auto waited = std::async(std::launch::async, [&] { return ganvas_wait(context.handle); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(ganvas_set_training(context.handle, 1), GANVAS_OK);  // another thread starts training meanwhile
  const bool returned = waited.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  if (!returned) ganvas_set_training(context.handle, 0);  // lets the wait end, so the test does not hang
  ASSERT_TRUE(returned) << "ganvas_wait waited for free training, not for its steps";
  EXPECT_EQ(waited.get(), GANVAS_OK) << ganvas_last_error(context.handle);
  EXPECT_GE(step_of(context.handle), 300u);
  // Training that runs already is not waited for either: the steps queued before the call are.
  ASSERT_EQ(ganvas_train_steps(context.handle, 2), GANVAS_OK);
  EXPECT_EQ(ganvas_wait(context.handle), GANVAS_OK) << ganvas_last_error(context.handle);
  ASSERT_EQ(ganvas_set_training(context.handle, 0), GANVAS_OK);
}

// After a pause, a wait returns once the step that was under way is published: the weights a render
// and a read then see stay put (a host's check found its texture and ganvas's copy 2/255 apart).
TEST(CApi, AfterAPauseWaitReturnsOnceTheWeightsStopChanging) {
  const std::string data = test::mnist_dir();
  Context context(data.c_str());
  for (int round = 0; round < 5; ++round) {
    ASSERT_EQ(ganvas_set_training(context.handle, 1), GANVAS_OK);
    const uint64_t start = step_of(context.handle);
    ASSERT_TRUE(eventually([&] { return step_of(context.handle) > start + 3; }));
    ASSERT_EQ(ganvas_set_training(context.handle, 0), GANVAS_OK);
    ASSERT_EQ(ganvas_wait(context.handle), GANVAS_OK) << ganvas_last_error(context.handle);
    const uint64_t paused_at = step_of(context.handle);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(step_of(context.handle), paused_at) << "steps were published after the wait returned";
  }
}

TEST(CApi, StatsShowTheProgressOfALongStepRequest) {
  const std::string data = test::mnist_dir();
  Context context(data.c_str());
  ASSERT_EQ(ganvas_train_steps(context.handle, INT32_MAX), GANVAS_OK);
  EXPECT_TRUE(eventually([&] { return step_of(context.handle) > 0; }))
      << "the stats said step 0 while queued steps ran";
}  // destroying the context ends the steps

TEST(CApi, PausingCancelsTheQueuedStepsThatHaveNotRun) {
  const std::string data = test::mnist_dir();
  Context context(data.c_str());
  ASSERT_EQ(ganvas_train_steps(context.handle, INT32_MAX), GANVAS_OK);
  ASSERT_EQ(ganvas_set_training(context.handle, 0), GANVAS_OK);
  ASSERT_EQ(ganvas_train_steps(context.handle, 2), GANVAS_OK);  // queued after the pause: these run
  ASSERT_TRUE(eventually([&] { return step_of(context.handle) >= 2; }))
      << "the steps queued after the pause never ran: the pause did not cancel the ones before";
  ASSERT_EQ(ganvas_wait(context.handle), GANVAS_OK);
  const uint64_t paused = step_of(context.handle);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(step_of(context.handle), paused) << "cancelled steps must not run";
}

TEST(CApi, WithoutDataTheBundledModelIsExploredAndTrainingIsRefused) {
  std::string logged;
  ganvas_create_info info = create_info(nullptr);
  info.log = [](void* user, int32_t, const char* message) { *static_cast<std::string*>(user) += message; };
  info.log_user = &logged;
  Context context(nullptr, info);
  EXPECT_EQ(ganvas_set_training(context.handle, 1), GANVAS_ERROR_STATE);
  EXPECT_STREQ(ganvas_last_error(context.handle), "no training data was given");
  EXPECT_NE(logged.find("no training data was given"), std::string::npos) << "errors go to the host's log";
  ganvas_stats stats{};
  stats.struct_size = sizeof(stats);
  ASSERT_EQ(ganvas_get_stats(context.handle, &stats), GANVAS_OK);
  EXPECT_EQ(stats.has_data, 0);
  EXPECT_EQ(stats.step, 20000u) << "the bundled checkpoint";
  stats.struct_size = sizeof(stats) + 4;
  EXPECT_EQ(ganvas_get_stats(context.handle, &stats), GANVAS_ERROR_UNSUPPORTED);
}

TEST(CApi, TrainsStepsAndCallsBackWithNewWeights) {
  std::atomic<int> published{0};
  ganvas_create_info info = create_info(nullptr);
  info.on_new_weights = [](void* user) { ++*static_cast<std::atomic<int>*>(user); };
  info.frame_user = &published;
  const std::string data = test::mnist_dir();
  Context context(data.c_str(), info);
  ASSERT_EQ(ganvas_train_steps(context.handle, 3), GANVAS_OK);
  ASSERT_EQ(ganvas_wait(context.handle), GANVAS_OK);
  ganvas_stats stats{};
  stats.struct_size = sizeof(stats);
  ASSERT_EQ(ganvas_get_stats(context.handle, &stats), GANVAS_OK);
  EXPECT_EQ(stats.step, 3u);
  EXPECT_EQ(stats.has_data, 1);
  EXPECT_GT(stats.gen_loss, 0.0f);
  EXPECT_GT(published.load(), 0);
  EXPECT_EQ(ganvas_set_learning_rates(context.handle, -1.0f, 2e-4f), GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ganvas_set_learning_rates(context.handle, 1e-4f, 2e-4f), GANVAS_OK);
  EXPECT_STREQ(ganvas_last_error(context.handle), "") << "a call that works clears the last error";
}

TEST(CApi, CheckpointsSaveAndLoadWithClearErrors) {
  const std::string data = test::mnist_dir();
  Context context(data.c_str());
  const std::string path = (std::filesystem::temp_directory_path() / "ganvas_c_api.safetensors").string();
  ASSERT_EQ(ganvas_train_steps(context.handle, 2), GANVAS_OK);
  ASSERT_EQ(ganvas_wait(context.handle), GANVAS_OK);  // a save saves its moment's weights: after the 2 steps
  ASSERT_EQ(ganvas_save_checkpoint(context.handle, path.c_str()), GANVAS_OK) << ganvas_last_error(context.handle);
  ASSERT_EQ(ganvas_train_steps(context.handle, 2), GANVAS_OK);
  ASSERT_EQ(ganvas_wait(context.handle), GANVAS_OK);
  ASSERT_EQ(ganvas_load_checkpoint(context.handle, path.c_str()), GANVAS_OK) << ganvas_last_error(context.handle);
  ganvas_stats stats{};
  stats.struct_size = sizeof(stats);
  ganvas_get_stats(context.handle, &stats);
  EXPECT_EQ(stats.step, 2u);
  EXPECT_EQ(ganvas_load_checkpoint(context.handle, "/nonexistent/x.safetensors"), GANVAS_ERROR_FILE);
  EXPECT_NE(std::string(ganvas_last_error(context.handle)).find("/nonexistent/x.safetensors"), std::string::npos);
  std::filesystem::remove(path);
}

TEST(CApi, AnchorsAndTMoveTheExplorersPoint) {
  Context context;
  int32_t noise = 0;
  ASSERT_EQ(ganvas_noise_width(context.handle, &noise), GANVAS_OK);
  ASSERT_EQ(noise, 100);
  std::vector<float> a(noise, 0.25f), point(noise);
  EXPECT_EQ(ganvas_set_anchor(context.handle, 0, a.data(), noise - 1), GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ganvas_set_anchor(context.handle, 2, a.data(), noise), GANVAS_ERROR_INVALID_ARGUMENT);
  ASSERT_EQ(ganvas_set_anchor(context.handle, 0, a.data(), noise), GANVAS_OK);
  ASSERT_EQ(ganvas_set_t(context.handle, 0.0f), GANVAS_OK);
  ASSERT_EQ(ganvas_get_point(context.handle, point.data(), noise), GANVAS_OK);
  EXPECT_EQ(point, a);
  EXPECT_EQ(ganvas_set_t(context.handle, 1.5f), GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ganvas_set_grid_anchor(context.handle, 1, 36), GANVAS_ERROR_INVALID_ARGUMENT);
  const std::vector<uint8_t> before = read_view(context.handle, GANVAS_VIEW_POINT);
  ASSERT_EQ(ganvas_set_grid_anchor(context.handle, 1, 7), GANVAS_OK);
  ASSERT_EQ(ganvas_set_t(context.handle, 1.0f), GANVAS_OK);
  EXPECT_NE(read_view(context.handle, GANVAS_VIEW_POINT), before);
}

// A NaN or Inf anchor would spread through every latent of the strip and the point; it is refused
// as a NaN t is, and the anchor stays as it was.
TEST(CApi, NonFiniteAnchorsAreRefusedAsANonFiniteTIs) {
  Context context;
  int32_t noise = 0;
  ASSERT_EQ(ganvas_noise_width(context.handle, &noise), GANVAS_OK);
  std::vector<float> a(noise, 0.25f), point(noise);
  ASSERT_EQ(ganvas_set_anchor(context.handle, 0, a.data(), noise), GANVAS_OK);
  ASSERT_EQ(ganvas_set_t(context.handle, 0.0f), GANVAS_OK);
  EXPECT_EQ(ganvas_set_t(context.handle, std::nanf("")), GANVAS_ERROR_INVALID_ARGUMENT);
  for (const float bad : {std::nanf(""), INFINITY, -INFINITY}) {
    std::vector<float> z(a);
    z[noise / 2] = bad;
    EXPECT_EQ(ganvas_set_anchor(context.handle, 0, z.data(), noise), GANVAS_ERROR_INVALID_ARGUMENT) << bad;
    EXPECT_NE(std::string(ganvas_last_error(context.handle)).find("finite"), std::string::npos)
        << ganvas_last_error(context.handle);
    EXPECT_EQ(ganvas_set_anchor(context.handle, 1, z.data(), noise), GANVAS_ERROR_INVALID_ARGUMENT) << bad;
  }
  ASSERT_EQ(ganvas_get_point(context.handle, point.data(), noise), GANVAS_OK);
  EXPECT_EQ(point, a) << "a refused anchor left the explorer as it was";
}

TEST(CApi, ClicksInTextureCoordinatesPickAnchorsAndT) {
  Context context;
  int32_t noise = 0;
  ganvas_noise_width(context.handle, &noise);
  std::vector<float> through_api(noise), grid_anchor(noise);
  // Cell 7 of the 6 x 6 grid: column 1, row 1 from the top, so v near the top of the texture.
  ASSERT_EQ(ganvas_pointer_click(context.handle, GANVAS_VIEW_GRID, 1.5f / 6, 1.0f - 1.5f / 6, 1), GANVAS_OK);
  ASSERT_EQ(ganvas_set_t(context.handle, 1.0f), GANVAS_OK);
  ASSERT_EQ(ganvas_get_point(context.handle, through_api.data(), noise), GANVAS_OK);
  ASSERT_EQ(ganvas_set_grid_anchor(context.handle, 1, 7), GANVAS_OK);
  ASSERT_EQ(ganvas_get_point(context.handle, grid_anchor.data(), noise), GANVAS_OK);
  EXPECT_EQ(through_api, grid_anchor) << "the click made cell 7 anchor B";
  // On the strip, t goes to the image clicked: the first of 8 is t = 0, anchor A itself.
  ASSERT_EQ(ganvas_pointer_click(context.handle, GANVAS_VIEW_STRIP, 0.01f, 0.5f, 0), GANVAS_OK);
  std::vector<float> a(noise);
  ganvas_get_point(context.handle, a.data(), noise);
  ASSERT_EQ(ganvas_pointer_click(context.handle, GANVAS_VIEW_STRIP, 0.99f, 0.5f, 0), GANVAS_OK);
  ganvas_get_point(context.handle, through_api.data(), noise);
  EXPECT_EQ(through_api, grid_anchor) << "the last image of the strip is anchor B";
  EXPECT_NE(a, grid_anchor);
  EXPECT_EQ(ganvas_pointer_click(context.handle, GANVAS_VIEW_GRID, 1.5f, 0.5f, 0), GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ganvas_pointer_click(context.handle, GANVAS_VIEW_GRID, 0.5f, 0.5f, 3), GANVAS_ERROR_INVALID_ARGUMENT);
}

TEST(CApi, ReadingAViewNeedsRoomForIt) {
  Context context;
  int32_t width = 0, height = 0;
  ASSERT_EQ(ganvas_view_size(context.handle, GANVAS_VIEW_STRIP, &width, &height), GANVAS_OK);
  EXPECT_EQ(width, 8 * 28);
  EXPECT_EQ(height, 28);
  std::vector<float> pixels(static_cast<size_t>(width) * height);
  EXPECT_EQ(ganvas_read_view(context.handle, GANVAS_VIEW_STRIP, GANVAS_FORMAT_FLOAT, 0, pixels.data(), 16),
            GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ganvas_read_view(context.handle, 7, GANVAS_FORMAT_FLOAT, 0, pixels.data(), pixels.size() * 4),
            GANVAS_ERROR_INVALID_ARGUMENT);
  ASSERT_EQ(ganvas_read_view(context.handle, GANVAS_VIEW_STRIP, GANVAS_FORMAT_FLOAT, 0, pixels.data(),
                             pixels.size() * sizeof(float)),
            GANVAS_OK);
  EXPECT_TRUE(std::all_of(pixels.begin(), pixels.end(), [](float p) { return p >= 0.0f && p <= 1.0f; }));
}

// The state a host had before ganvas rendered, as the header's list names it.
struct HostGlState {
  GLint framebuffer = 0, program = 0, vertex_array = 0, storage = 0, storage0 = 0, viewport[4] = {}, scissor[4] = {};
  GLint polygon[2] = {};
  GLfloat clear[4] = {};
  GLboolean mask[4] = {};
  GLboolean scissor_test = GL_FALSE, blend = GL_FALSE, cull = GL_FALSE, depth = GL_FALSE;
  static HostGlState read() {
    HostGlState s;
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &s.framebuffer);
    glGetIntegerv(GL_CURRENT_PROGRAM, &s.program);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &s.vertex_array);
    glGetIntegerv(GL_SHADER_STORAGE_BUFFER_BINDING, &s.storage);
    glGetIntegeri_v(GL_SHADER_STORAGE_BUFFER_BINDING, 0, &s.storage0);
    glGetIntegerv(GL_VIEWPORT, s.viewport);
    glGetIntegerv(GL_SCISSOR_BOX, s.scissor);
    glGetFloatv(GL_COLOR_CLEAR_VALUE, s.clear);
    glGetIntegerv(GL_POLYGON_MODE, s.polygon);
    glGetBooleanv(GL_COLOR_WRITEMASK, s.mask);
    s.scissor_test = glIsEnabled(GL_SCISSOR_TEST);
    s.blend = glIsEnabled(GL_BLEND);
    s.cull = glIsEnabled(GL_CULL_FACE);
    s.depth = glIsEnabled(GL_DEPTH_TEST);
    return s;
  }
  bool operator==(const HostGlState& o) const {
    return framebuffer == o.framebuffer && program == o.program && vertex_array == o.vertex_array &&
           storage == o.storage && storage0 == o.storage0 && std::equal(viewport, viewport + 4, o.viewport) &&
           std::equal(scissor, scissor + 4, o.scissor) && std::equal(clear, clear + 4, o.clear) &&
           scissor_test == o.scissor_test && blend == o.blend && cull == o.cull && depth == o.depth &&
           polygon[0] == o.polygon[0] && std::equal(mask, mask + 4, o.mask);
  }
};

class CApiRendering : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      host_ = create_headless({64, 64});
    } catch (const std::exception& e) {
      GTEST_SKIP() << "no headless GL here: " << e.what();
    }
  }
  GLuint texture(int width, int height, GLenum format = GL_RGBA8) {
    GLuint name = 0;
    glCreateTextures(GL_TEXTURE_2D, 1, &name);
    glTextureStorage2D(name, 1, format, width, height);
    textures_.push_back(name);
    return name;
  }
  void TearDown() override {
    if (!textures_.empty()) glDeleteTextures(static_cast<GLsizei>(textures_.size()), textures_.data());
  }
  std::unique_ptr<GlContext> host_;
  std::vector<GLuint> textures_;
};

// The largest difference, in 8-bit steps, between a view in the host's texture and the same view
// computed on the CPU (ganvas_read_view), with the texture's rows in the order `rows` says.
int difference_from_the_cpu(ganvas_context* context, int32_t view, GLuint texture,
                            int32_t rows = GANVAS_ROWS_BOTTOM_FIRST) {
  int32_t width = 0, height = 0;
  ganvas_view_size(context, view, &width, &height);
  std::vector<uint8_t> rendered(static_cast<size_t>(width) * height * 4);
  glGetTextureImage(texture, 0, GL_RGBA, GL_UNSIGNED_BYTE, static_cast<GLsizei>(rendered.size()), rendered.data());
  const std::vector<uint8_t> cpu = read_view(context, view);
  int worst = 0;
  for (int y = 0; y < height; ++y) {
    const int texture_row = rows == GANVAS_ROWS_TOP_FIRST ? y : height - 1 - y;
    for (int x = 0; x < width * 4; ++x) {
      const int a = rendered[static_cast<size_t>(texture_row) * width * 4 + x];
      worst = std::max(worst, std::abs(a - cpu[static_cast<size_t>(y) * width * 4 + x]));
    }
  }
  return worst;
}

TEST_F(CApiRendering, TheGridInTheHostsTextureIsTheCpuSamplersAndTheHostsStateStays) {
  Context context;
  ASSERT_EQ(ganvas_render_attach(context.handle, egl_proc, nullptr), GANVAS_OK) << ganvas_last_error(context.handle);
  int32_t width = 0, height = 0;
  ganvas_view_size(context.handle, GANVAS_VIEW_GRID, &width, &height);
  const GLuint target = texture(width, height);
  // A host's state, set to things ganvas would change.
  GLuint host_framebuffer = 0, host_buffer = 0, host_vao = 0;
  glCreateFramebuffers(1, &host_framebuffer);
  glCreateBuffers(1, &host_buffer);
  glCreateVertexArrays(1, &host_vao);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, host_framebuffer);
  glBindVertexArray(host_vao);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, host_buffer);
  glViewport(1, 2, 30, 40);
  glScissor(3, 4, 5, 6);
  glEnable(GL_SCISSOR_TEST);
  glEnable(GL_BLEND);
  glEnable(GL_CULL_FACE);  // as most 3-D engines leave it
  glEnable(GL_DEPTH_TEST);
  glColorMask(GL_TRUE, GL_FALSE, GL_TRUE, GL_TRUE);
  glPolygonMode(GL_FRONT_AND_BACK, GL_LINE);
  glClearColor(0.1f, 0.2f, 0.3f, 0.4f);
  const HostGlState before = HostGlState::read();
  ASSERT_EQ(ganvas_render_to_texture(context.handle, GANVAS_VIEW_GRID, target, 1), GANVAS_OK)
      << ganvas_last_error(context.handle);
  EXPECT_TRUE(HostGlState::read() == before) << "ganvas left the host's GL state changed";
  glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  glPolygonMode(GL_FRONT_AND_BACK, GL_FILL);
  EXPECT_LE(difference_from_the_cpu(context.handle, GANVAS_VIEW_GRID, target), 1)
      << "the grid in the host's texture differs from the CPU sampler's";
  EXPECT_EQ(ganvas_render_detach(context.handle), GANVAS_OK);
  glDeleteFramebuffers(1, &host_framebuffer);
  glDeleteBuffers(1, &host_buffer);
  glDeleteVertexArrays(1, &host_vao);
}

// A GL error the host left pending is the host's: attaching clears it and succeeds.
TEST_F(CApiRendering, AGlErrorTheHostLeftPendingDoesNotFailTheAttach) {
  Context context;
  glEnable(0x7fff);  // not a capability: GL_INVALID_ENUM, left pending
  ASSERT_EQ(ganvas_render_attach(context.handle, egl_proc, nullptr), GANVAS_OK) << ganvas_last_error(context.handle);
  EXPECT_EQ(ganvas_render_detach(context.handle), GANVAS_OK);
}

// For engines that sample row 0 as the image's top (OGRE): the same view, rows the other way round.
TEST_F(CApiRendering, RowsTopFirstPutTheImagesTopRowAtRowZero) {
  Context context;
  ASSERT_EQ(ganvas_render_attach(context.handle, egl_proc, nullptr), GANVAS_OK) << ganvas_last_error(context.handle);
  int32_t width = 0, height = 0;
  ganvas_view_size(context.handle, GANVAS_VIEW_STRIP, &width, &height);
  const GLuint target = texture(width, height);
  ASSERT_EQ(ganvas_render_to_texture_rows(context.handle, GANVAS_VIEW_STRIP, target, 1, GANVAS_ROWS_TOP_FIRST),
            GANVAS_OK)
      << ganvas_last_error(context.handle);
  EXPECT_LE(difference_from_the_cpu(context.handle, GANVAS_VIEW_STRIP, target, GANVAS_ROWS_TOP_FIRST), 1);
  EXPECT_GT(difference_from_the_cpu(context.handle, GANVAS_VIEW_STRIP, target, GANVAS_ROWS_BOTTOM_FIRST), 100)
      << "digits are not symmetric top to bottom: the other order must differ";
  EXPECT_EQ(ganvas_render_to_texture_rows(context.handle, GANVAS_VIEW_STRIP, target, 1, 7), GANVAS_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(ganvas_render_detach(context.handle), GANVAS_OK);
}

TEST_F(CApiRendering, MisuseOfTheRenderLaneIsAnErrorWithAMessage) {
  Context context;
  const GLuint strip = texture(8 * 28, 28);
  EXPECT_EQ(ganvas_render_to_texture(context.handle, GANVAS_VIEW_STRIP, strip, 1), GANVAS_ERROR_STATE)
      << "render before attach";
  EXPECT_EQ(ganvas_render_attach(context.handle, nullptr, nullptr), GANVAS_ERROR_INVALID_ARGUMENT);
  // No current context: attaching cannot load GL.
  EGLDisplay display = eglGetCurrentDisplay();
  EGLContext current = eglGetCurrentContext();
  EGLSurface draw = eglGetCurrentSurface(EGL_DRAW), read = eglGetCurrentSurface(EGL_READ);
  ASSERT_TRUE(eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT));
  EXPECT_EQ(ganvas_render_attach(context.handle, egl_proc, nullptr), GANVAS_ERROR_GL);
  EXPECT_NE(std::string(ganvas_last_error(context.handle)).find("GL"), std::string::npos);
  ASSERT_TRUE(eglMakeCurrent(display, draw, read, current));
  ASSERT_EQ(ganvas_render_attach(context.handle, egl_proc, nullptr), GANVAS_OK) << ganvas_last_error(context.handle);
  EXPECT_EQ(ganvas_render_attach(context.handle, egl_proc, nullptr), GANVAS_ERROR_STATE) << "attached twice";
  const GLuint wrong_size = texture(100, 28);
  EXPECT_EQ(ganvas_render_to_texture(context.handle, GANVAS_VIEW_STRIP, wrong_size, 1), GANVAS_ERROR_GL);
  EXPECT_NE(std::string(ganvas_last_error(context.handle)).find("must be RGBA8 of 224x28"), std::string::npos)
      << ganvas_last_error(context.handle);
  const GLuint wrong_format = texture(8 * 28, 28, GL_R8);
  EXPECT_EQ(ganvas_render_to_texture(context.handle, GANVAS_VIEW_STRIP, wrong_format, 1), GANVAS_ERROR_GL);
  EXPECT_EQ(ganvas_render_to_texture(context.handle, GANVAS_VIEW_STRIP, 424242, 1), GANVAS_ERROR_GL)
      << "not a texture";
  EXPECT_EQ(ganvas_render_to_texture(context.handle, GANVAS_VIEW_STRIP, strip, 1), GANVAS_OK)
      << ganvas_last_error(context.handle);
  // A render call from a thread with no current context.
  ASSERT_TRUE(eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT));
  EXPECT_EQ(ganvas_render_to_texture(context.handle, GANVAS_VIEW_STRIP, strip, 1), GANVAS_ERROR_GL);
  EXPECT_NE(std::string(ganvas_last_error(context.handle)).find("no GL context is current"), std::string::npos)
      << ganvas_last_error(context.handle);
  ASSERT_TRUE(eglMakeCurrent(display, draw, read, current));
  EXPECT_EQ(ganvas_render_detach(context.handle), GANVAS_OK);
}

// Where a GPU answers: training on CUDA, the images are written into ganvas's GL buffer by the GPU
// (CUDA-GL interop) and drawn into the host's textures, equal to the CPU's copy of the same views,
// also after the weights change.
TEST_F(CApiRendering, OnCudaTheViewsReachTheHostsTexturesThroughInteropAndEqualTheCpus) {
  struct Log {  // written from whichever thread logs
    std::mutex mutex;
    std::string text;
    std::string read() {
      const std::lock_guard lock(mutex);
      return text;
    }
  } log;
  const std::string data = test::mnist_dir();
  ganvas_create_info info = create_info(data.c_str());
  info.device = GANVAS_DEVICE_CUDA;
  info.log = [](void* user, int32_t, const char* message) {
    auto& sink = *static_cast<Log*>(user);
    const std::lock_guard lock(sink.mutex);
    sink.text += message + std::string("\n");
  };
  info.log_user = &log;
  ganvas_context* handle = nullptr;
  const int32_t created = ganvas_create(&info, &handle);
  if (created == GANVAS_ERROR_UNSUPPORTED) GTEST_SKIP() << "no usable CUDA device: " << log.read();
  ASSERT_EQ(created, GANVAS_OK) << log.read();
  const auto* vendor = reinterpret_cast<const char*>(glGetString(GL_VENDOR));
  if (vendor == nullptr || std::string(vendor).find("NVIDIA") == std::string::npos) {
    ganvas_destroy(handle);
    GTEST_SKIP() << "CUDA here, but the host's GL is " << (vendor ? vendor : "unknown") << "'s: no interop";
  }
  const std::unique_ptr<ganvas_context, decltype(&ganvas_destroy)> owned(handle, ganvas_destroy);
  ASSERT_EQ(ganvas_train_steps(handle, 50), GANVAS_OK);
  ASSERT_EQ(ganvas_wait(handle), GANVAS_OK);
  ASSERT_EQ(ganvas_render_attach(handle, egl_proc, nullptr), GANVAS_OK) << ganvas_last_error(handle);
  EXPECT_NE(log.read().find("by CUDA-GL interop"), std::string::npos) << log.read();
  for (const int32_t view : {GANVAS_VIEW_GRID, GANVAS_VIEW_STRIP}) {
    int32_t width = 0, height = 0;
    ganvas_view_size(handle, view, &width, &height);
    const GLuint target = texture(width, height);
    for (int round = 0; round < 2; ++round) {
      ASSERT_EQ(ganvas_render_to_texture(handle, view, target, 1), GANVAS_OK) << ganvas_last_error(handle);
      EXPECT_LE(difference_from_the_cpu(handle, view, target), 1) << "view " << view << ", round " << round;
      ASSERT_EQ(ganvas_train_steps(handle, 50), GANVAS_OK);  // new weights for the next round
      ASSERT_EQ(ganvas_wait(handle), GANVAS_OK);
    }
  }
  EXPECT_EQ(ganvas_render_detach(handle), GANVAS_OK);
}

}  // namespace
}  // namespace ganvas
