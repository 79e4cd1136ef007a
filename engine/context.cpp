// GLFW windows and EGL headless contexts.
#include "engine/context.h"

#define GLFW_INCLUDE_NONE
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLFW/glfw3.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/gl.h"

namespace ganvas {

std::string gl_renderer() {
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  const auto* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
  return std::string(renderer ? renderer : "?") + ", GL " + (version ? version : "?");
}

namespace {

class GlfwContext final : public GlContext {
 public:
  GlfwContext(const std::string& title, Size size) {
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
      throw NoDisplayError("no display (DISPLAY is not set)");
    }
    if (!glfwInit()) throw NoDisplayError("could not connect to the display " + std::string(display ? display : ""));
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 4);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 5);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
#ifndef NDEBUG
    glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, GLFW_TRUE);
#endif
    window_ = glfwCreateWindow(size.width, size.height, title.c_str(), nullptr, nullptr);
    if (!window_) {
      glfwTerminate();
      GANVAS_THROW("could not open a window with an OpenGL 4.5 core context");
    }
    glfwMakeContextCurrent(window_);
    try {
      gl::load(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress));
      gl::install_debug_output();
    } catch (...) {
      glfwDestroyWindow(window_);
      glfwTerminate();
      throw;
    }
    set_vsync(true);
  }
  ~GlfwContext() override {
    glfwDestroyWindow(window_);
    glfwTerminate();
  }
  GlfwContext(const GlfwContext&) = delete;
  GlfwContext& operator=(const GlfwContext&) = delete;

  std::string description() const override { return "window, " + gl_renderer(); }
  bool should_close() const override { return glfwWindowShouldClose(window_); }
  void request_close() override { glfwSetWindowShouldClose(window_, GLFW_TRUE); }
  void poll_events() override { glfwPollEvents(); }
  void swap_buffers() override { glfwSwapBuffers(window_); }
  Size framebuffer_size() const override {
    Size size;
    glfwGetFramebufferSize(window_, &size.width, &size.height);
    return size;
  }
  bool minimized() const override { return glfwGetWindowAttrib(window_, GLFW_ICONIFIED) != 0; }
  float content_scale() const override {
    float x = 1, y = 1;
    glfwGetWindowContentScale(window_, &x, &y);
    return x;
  }
  void set_vsync(bool on) override { glfwSwapInterval(on ? 1 : 0); }
  GLFWwindow* window() const override { return window_; }
  GLADloadfunc gl_loader() const override { return reinterpret_cast<GLADloadfunc>(glfwGetProcAddress); }

 private:
  GLFWwindow* window_ = nullptr;
};

// EGL display on the device platform (NVIDIA, recent Mesa) or Mesa's surfaceless platform.
EGLDisplay headless_display(std::string& platform) {
  auto get_display = reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
  auto query_devices = reinterpret_cast<PFNEGLQUERYDEVICESEXTPROC>(eglGetProcAddress("eglQueryDevicesEXT"));
  GANVAS_CHECK(get_display != nullptr, "EGL lacks eglGetPlatformDisplayEXT: no headless OpenGL here");
  if (query_devices) {
    EGLDeviceEXT devices[8];
    EGLint count = 0;
    if (query_devices(8, devices, &count) && count > 0) {
      for (EGLint i = 0; i < count; ++i) {
        EGLDisplay display = get_display(EGL_PLATFORM_DEVICE_EXT, devices[i], nullptr);
        if (display == EGL_NO_DISPLAY || !eglInitialize(display, nullptr, nullptr)) continue;
        // A device display that cannot bind desktop OpenGL is of no use here.
        if (eglBindAPI(EGL_OPENGL_API)) {
          platform = "EGL device";
          return display;
        }
        eglTerminate(display);
      }
    }
  }
  EGLDisplay display = get_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display != EGL_NO_DISPLAY && eglInitialize(display, nullptr, nullptr)) {
    platform = "EGL surfaceless";
    return display;
  }
  GANVAS_THROW("no headless EGL display (neither the device nor the surfaceless platform works)");
}

class EglContext final : public GlContext {
 public:
  explicit EglContext(Size size) : size_(size) {
    display_ = headless_display(platform_);
    if (!eglBindAPI(EGL_OPENGL_API)) fail("eglBindAPI(EGL_OPENGL_API) failed");
    const EGLint config_attributes[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
                                        EGL_NONE};
    EGLConfig config = nullptr;
    EGLint configs = 0;
    eglChooseConfig(display_, config_attributes, &config, 1, &configs);
    const EGLint context_attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 4, EGL_CONTEXT_MINOR_VERSION, 5,
                                         EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                         EGL_NONE};
    context_ = eglCreateContext(display_, configs > 0 ? config : EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, context_attributes);
    if (context_ == EGL_NO_CONTEXT) fail("could not create an OpenGL 4.5 core context through EGL");
    if (!eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_)) {
      fail("could not make the EGL context current without a surface");
    }
    gl::load(reinterpret_cast<GLADloadfunc>(eglGetProcAddress));
    gl::install_debug_output();
  }
  ~EglContext() override { release(); }
  EglContext(const EglContext&) = delete;
  EglContext& operator=(const EglContext&) = delete;

  std::string description() const override { return platform_ + ", " + gl_renderer(); }
  bool should_close() const override { return close_requested_; }
  void request_close() override { close_requested_ = true; }
  void poll_events() override {}
  void swap_buffers() override { glFlush(); }
  Size framebuffer_size() const override { return size_; }
  bool minimized() const override { return false; }
  float content_scale() const override { return 1.0f; }
  void set_vsync(bool) override {}
  GLFWwindow* window() const override { return nullptr; }
  GLADloadfunc gl_loader() const override { return reinterpret_cast<GLADloadfunc>(eglGetProcAddress); }

 private:
  [[noreturn]] void fail(const std::string& message) {
    const EGLint error = eglGetError();
    release();
    GANVAS_THROW(message + " (EGL error 0x" + [&] {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "%04x", error);
      return std::string(hex);
    }() + ")");
  }
  void release() {
    if (display_ == EGL_NO_DISPLAY) return;
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_ != EGL_NO_CONTEXT) eglDestroyContext(display_, context_);
    eglTerminate(display_);
    display_ = EGL_NO_DISPLAY;
    context_ = EGL_NO_CONTEXT;
  }

  Size size_;
  bool close_requested_ = false;
  std::string platform_;
  EGLDisplay display_ = EGL_NO_DISPLAY;
  EGLContext context_ = EGL_NO_CONTEXT;
};

}  // namespace

std::unique_ptr<GlContext> create_window(const std::string& title, Size size) {
  return std::make_unique<GlfwContext>(title, size);
}

std::unique_ptr<GlContext> create_headless(Size size) { return std::make_unique<EglContext>(size); }

}  // namespace ganvas
