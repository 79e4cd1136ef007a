// Where GL runs: a GLFW window with a 4.5 core context, or an EGL context with no display.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "engine/gl.h"

struct GLFWwindow;

namespace ganvas {

struct Size {
  int width = 0;
  int height = 0;
};

class GlContext {
 public:
  virtual ~GlContext() = default;
  virtual std::string description() const = 0;  // e.g. "GLFW window, Mesa llvmpipe, GL 4.5"
  virtual bool should_close() const = 0;
  // Asks the loop to end after this frame (the window's close button, or Esc / Ctrl+Q).
  virtual void request_close() = 0;
  virtual void poll_events() = 0;
  virtual void swap_buffers() = 0;
  virtual Size framebuffer_size() const = 0;
  virtual bool minimized() const = 0;
  virtual float content_scale() const = 0;
  virtual void set_vsync(bool on) = 0;
  // The GLFW window, or nullptr for a headless context.
  virtual GLFWwindow* window() const = 0;
  // Looks up GL functions of this context (glfwGetProcAddress or eglGetProcAddress).
  virtual GLADloadfunc gl_loader() const = 0;
};

// Thrown when a window cannot be opened because there is no display.
class NoDisplayError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A window with an OpenGL 4.5 core context, current on this thread, GL loaded.
std::unique_ptr<GlContext> create_window(const std::string& title, Size size);

// An OpenGL 4.5 core context with no display (EGL: the device platform, else Mesa's surfaceless
// one), current on this thread, GL loaded. It has no default framebuffer: render into a
// RenderTarget of `size`, which framebuffer_size() reports.
std::unique_ptr<GlContext> create_headless(Size size);

// The GL renderer string of the current context, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
std::string gl_renderer();

}  // namespace ganvas
