// Rendering through EGL with no display: the grid drawn by the GL pass equals, pixel for pixel, the
// canvas the CPU sampler computes; every shader compiles; the visualizer renders frames headless that
// show G's images as training changes them.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

#include "engine/app.h"
#include "gan/io/checkpoint.h"
#include "engine/context.h"
#include "gan/render/cuda_gl_images.h"
#include "gan/backends/device_info.h"
#if GANVAS_HAVE_CUDA
#include "gan/backends/cuda/cuda_generator.h"
#endif
#include "common/error.h"
#include "gan/viz/gan_visualizer.h"
#include "gan/render/image_grid_pass.h"
#include <imgui.h>
#include "engine/render_target.h"
#include "gan/model/sampler.h"
#include "engine/gl_state.h"
#include "engine/shader.h"
#include "tests/test_support.h"
#include "tests/grid_check.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

class Headless : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { context_ = create_headless({320, 240}).release(); }
  static void TearDownTestSuite() {
    delete context_;
    context_ = nullptr;
  }
  static GlContext* context_;
};
GlContext* Headless::context_ = nullptr;

// Draws an n x n grid from `buffer` at one screen pixel per image pixel and returns the grey levels.
std::vector<uint8_t> render_grid(GLuint buffer, int n, bool invert) {
  const Size size{n * 28, n * 28};
  RenderTarget target(size);
  target.bind();
  ImageGridPass pass(kImageSide);
  pass.draw(buffer, 0, n, n, PixelRect{0, 0, float(size.width), float(size.height)}, size.width, size.height, invert);
  const std::vector<uint8_t> rgba = read_pixels(target.framebuffer(), size);
  std::vector<uint8_t> grey(rgba.size() / 4);
  for (size_t i = 0; i < grey.size(); ++i) grey[i] = rgba[4 * i];
  return grey;
}

int largest_difference(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  int worst = a.size() == b.size() ? 0 : 255;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) worst = std::max(worst, std::abs(int(a[i]) - int(b[i])));
  return worst;
}

TEST_F(Headless, GridMatchesTheCpuSamplerPixelForPixel) {
  const GanState state = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  const int n = 6;
  const std::vector<float> z = sample_latents(3, n * n, state.shape.noise);
  const std::vector<float> images = generate_images(state, z, n * n);
  gl::Buffer buffer = gl::create_buffer();
  glNamedBufferStorage(buffer.get(), static_cast<GLsizeiptr>(images.size() * sizeof(float)), images.data(), 0);
  for (bool invert : {true, false}) {
    EXPECT_LE(largest_difference(render_grid(buffer.get(), n, invert), grid_pixels(images, n, invert)), 1)
        << "invert=" << invert;
  }
}

// A pass destroyed while its program is current (as a host may leave one) leaves a name GL deletes
// once another program is used: restoring the state must not use it again.
TEST_F(Headless, AProgramDeletedWhileCurrentIsNotRestored) {
  {
    gl::Buffer buffer = gl::create_buffer();
    glNamedBufferStorage(buffer.get(), 28 * 28 * sizeof(float), nullptr, 0);
    RenderTarget target({28, 28});
    target.bind();
    ImageGridPass pass(kImageSide);
    pass.draw(buffer.get(), 0, 1, 1, PixelRect{0, 0, 28, 28}, 28, 28, false);  // its program stays current
  }
  ASSERT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
  {
    const gl::StateGuard keep;
    glUseProgram(0);  // the deleted program goes for good
  }
  EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
}

// Where CUDA and NVIDIA's GL meet: the generator writes into the GL buffer on the GPU, the pass
// draws it, and the result equals the CPU sampler's canvas, with no image copied to the host.
TEST_F(Headless, InteropGridMatchesTheCpuSamplerWithoutHostCopies) {
  const GanState state = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  const int n = 6;
  gl::Buffer buffer = gl::create_buffer();
  glNamedBufferStorage(buffer.get(), static_cast<GLsizeiptr>(size_t(n) * n * 784 * sizeof(float)), nullptr, 0);
  std::string why_not;
  auto interop = make_cuda_gl_images(buffer.get(), n * n, state.shape, why_not);
  if (!interop) GTEST_SKIP() << "no CUDA-GL interop here: " << why_not;
#if GANVAS_HAVE_CUDA
  const uint64_t readbacks = cuda::image_readbacks();
  LiveSnapshot snapshot;
  snapshot.version = 1;
  snapshot.shape = state.shape;
  snapshot.generator = state.generator.params;
  const std::vector<float> z = sample_latents(3, n * n, state.shape.noise);
  interop->write(snapshot, z, n * n);
  const std::vector<uint8_t> expected = grid_pixels(generate_images(state, z, n * n), n, true);
  const int worst = largest_difference(render_grid(buffer.get(), n, true), expected);
  std::printf("interop grid: largest difference from the CPU canvas %d/255\n", worst);
  EXPECT_LE(worst, 2);
  EXPECT_EQ(cuda::image_readbacks(), readbacks) << "images went through the host";
#endif
}

TEST_F(Headless, EveryShaderCompilesAndLinks) {
  ASSERT_FALSE(gl::shader_names().empty());
  for (std::string_view name : gl::shader_names()) {
    const GLenum stage = name.ends_with(".vert") ? GL_VERTEX_SHADER : GL_FRAGMENT_SHADER;
    EXPECT_NO_THROW(gl::compile_shader(stage, gl::shader_source(name), "shaders/" + std::string(name))) << name;
  }
  EXPECT_NO_THROW(gl::build_program("image_grid.vert", "image_grid.frag"));
}

TEST_F(Headless, CompileErrorsNameTheFileAndLine) {
  try {
    gl::compile_shader(GL_FRAGMENT_SHADER, "#version 450 core\nout vec4 c;\nvoid main() { c = undefined_thing; }\n",
                       "shaders/broken.frag");
    FAIL() << "a broken shader compiled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shaders/broken.frag:3:"), std::string::npos) << e.what();
  }
}

TEST(VisualizerConfig, LockstepWithoutAStepBudgetIsRefused) {
  VizConfig config;
  config.data_dir = test::mnist_dir();
  config.scripted.lockstep = true;  // each frame would wait for a trainer that never rests
  config.steps_per_frame = 0;
  try {
    GanVisualizer viz(config);
    FAIL() << "a lockstep visualizer without a step budget was made";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("steps_per_frame of 1 or more"), std::string::npos) << e.what();
  }
}

// Frames drawn while the trainer runs show G's images of the grid's latents for the weights each
// frame drew, pixel by pixel (the anchors' cells aside), and the grid changes as
// the weights do.
TEST_F(Headless, VisualizerRendersFramesWhileTraining) {
  using test::GridFrame;
  using test::grid_frame;
  VizConfig config;
  config.data_dir = test::mnist_dir();
  GanVisualizer viz(config);
  const Size size{640, 400};
  RenderTarget target(size);
  ImGuiLayer imgui(*context_);
  viz.attach(PluginHost{context_, context_->gl_loader(), ImGui::GetCurrentContext()});
  std::optional<GridFrame> first, last;  // an early frame's grid, and one 100 steps on
  {
    FrameLoop loop(*context_, imgui, viz, LoopOptions{}, &target);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (int i = 0; !loop.done() && std::chrono::steady_clock::now() < deadline; ++i) {
      loop.run_frame();
      if (i == 5) first = grid_frame(viz, target);
      if (i <= 5) continue;
      last = grid_frame(viz, target);
      if (last->step >= first->step + 100) break;
    }
    EXPECT_GT(loop.finish().frames, 6u);
  }
  viz.session().trainer().set_running(false);
  viz.session().trainer().wait_idle();
  ASSERT_TRUE(first && last);
  EXPECT_GE(last->step, first->step + 100) << "training ran while frames were drawn";
  for (const GridFrame* frame : {&*first, &*last}) {
    EXPECT_LT(test::mismatched_share(*frame), 0.01) << "the grid at step " << frame->step << " is not G's images";
    const auto [dark, light] = std::minmax_element(frame->shown.begin(), frame->shown.end());
    EXPECT_GT(int(*light) - int(*dark), 64) << "the grid at step " << frame->step << " is nearly one grey";
  }
  EXPECT_TRUE(test::differs(first->shown, last->shown))
      << "the grid did not change from step " << first->step << " to " << last->step;
  std::printf("image path: %s; grid at steps %llu and %llu, %.2f %% and %.2f %% of its pixels off G's images\n",
              viz.image_path().c_str(), static_cast<unsigned long long>(first->step),
              static_cast<unsigned long long>(last->step), 100 * test::mismatched_share(*first),
              100 * test::mismatched_share(*last));
  viz.detach();
}

}  // namespace
}  // namespace ganvas
