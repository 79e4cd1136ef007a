// Rendering through EGL with no display: the grid drawn by the GL pass equals, pixel for pixel, the
// canvas the CPU sampler computes; every shader compiles; the visualizer renders frames headless.
#include <gtest/gtest.h>

#include <cmath>

#include "app.h"
#include "checkpoint.h"
#include "context.h"
#include "error.h"
#include "gan_visualizer.h"
#include "image_grid_pass.h"
#include "render_target.h"
#include "sampler.h"
#include "shader.h"
#include "test_support.h"

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

TEST_F(Headless, GridMatchesTheCpuSamplerPixelForPixel) {
  const GanState state = load_checkpoint(GANVAS_ASSETS_DIR "/mnist-gan-20k.safetensors");
  const int n = 6;
  const std::vector<float> z = sample_latents(3, n * n, state.shape.noise);
  const std::vector<float> images = generate_images(state, z, n * n);
  for (bool invert : {true, false}) {
    const std::vector<uint8_t> expected = grid_pixels(images, n, invert);
    gl::Buffer buffer = gl::create_buffer();
    glNamedBufferStorage(buffer.get(), static_cast<GLsizeiptr>(images.size() * sizeof(float)), images.data(), 0);
    const Size size{n * 28, n * 28};
    RenderTarget target(size);
    target.bind();
    ImageGridPass pass;
    pass.draw(buffer.get(), 0, n, n, PixelRect{0, 0, float(size.width), float(size.height)}, size.width, size.height,
              invert);
    const std::vector<uint8_t> rgba = read_pixels(target.framebuffer(), size);
    int worst = 0;
    for (size_t i = 0; i < expected.size(); ++i) {
      worst = std::max(worst, std::abs(int(rgba[4 * i]) - int(expected[i])));
      ASSERT_EQ(rgba[4 * i], rgba[4 * i + 1]);
    }
    EXPECT_LE(worst, 1) << "largest difference from the CPU canvas, invert=" << invert;
  }
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

TEST_F(Headless, VisualizerRendersFramesWhileTraining) {
  VizConfig config;
  config.data_dir = test::mnist_dir();
  GanVisualizer viz(config);
  const Size size{640, 400};
  RenderTarget target(size);
  ImGuiLayer imgui(*context_);
  viz.attach(*context_);
  LoopOptions options;
  options.max_frames = 30;
  const LoopResult result = run_frames(*context_, imgui, viz, options, &target);
  EXPECT_EQ(result.frames, 30u);
  LiveControls controls = viz.trainer().controls();
  controls.running = false;
  viz.trainer().set_controls(controls);
  viz.trainer().wait_idle();
  EXPECT_GT(viz.trainer().status().step, 0u) << "training ran while frames were drawn";
  // The grid on screen shows the images the visualizer last sampled.
  const std::vector<uint8_t> rgba = read_pixels(target.framebuffer(), size);
  const PixelRect grid = viz.grid_rect();
  double ink = 0;
  for (int y = int(grid.y); y < int(grid.y + grid.height); ++y) {
    for (int x = int(grid.x); x < int(grid.x + grid.width); ++x) ink += 255 - rgba[(size_t(y) * size.width + x) * 4];
  }
  EXPECT_GT(ink, 0) << "the grid area is blank";
  viz.detach();
}

}  // namespace
}  // namespace ganvas
