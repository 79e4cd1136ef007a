// The interface a plugin implements, and the one versioned C entry point a plugin module exports.
//
// A module is a shared library built with the same compiler and ganvas headers as the host (the
// Plugin class crosses the boundary as C++). The host calls ganvas_plugin_entry(), checks the
// version it reports, and creates the plugin through the returned table.
#pragma once

#include <cstdint>

#include <imgui.h>

#include "engine/context.h"
#include "engine/gl.h"

namespace ganvas {

struct FrameInfo {
  double time = 0;          // seconds since the loop started
  double delta = 0;         // seconds since the previous frame
  Size framebuffer;         // the size the plugin renders into
  uint64_t frame = 0;
  bool canvas_only = false; // render the canvas alone (for recording), leaving no room for panels
  bool caption = false;     // with canvas_only: draw a caption saying what the canvas shows
};

// A rectangle of the framebuffer in pixels, y down from its top-left corner.
struct Area {
  float x = 0, y = 0, width = 0, height = 0;
  bool empty() const { return width <= 0 || height <= 0; }
};

// Settings of the frame loop that a plugin's panels may change while it runs.
struct LoopControls {
  double max_fps = 0;  // 0: as fast as the context allows (the display's rate with vsync)
  bool vsync = true;   // in a window
};

// What the host hands a plugin when attaching it. A plugin module links its own copies of glad and
// Dear ImGui: it loads GL through gl_loader and makes imgui_context (an ImGuiContext*) current.
struct PluginHost {
  GlContext* context = nullptr;
  GLADloadfunc gl_loader = nullptr;
  void* imgui_context = nullptr;
  LoopControls* loop = nullptr;  // null when the host's loop takes no changes (offline recording)
  // Draws a Dear ImGui draw list (text, marks over the canvas) into the bound framebuffer of `size`;
  // a plugin module cannot, since its copy of ImGui's GL backend is not set up.
  void (*draw_overlay)(const ImDrawList& list, Size size) = nullptr;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  virtual const char* name() const = 0;
  // GL is current in every call below.
  virtual void attach(const PluginHost& host) = 0;
  // Each frame calls update, then draw_panels, then render.
  virtual void update(const FrameInfo& frame) = 0;
  // Dear ImGui windows, between NewFrame and Render; before render, so changes show at once.
  virtual void draw_panels(const FrameInfo& frame) = 0;
  // Draws into the bound framebuffer; the viewport covers frame.framebuffer.
  virtual void render(const FrameInfo& frame) = 0;
  // Where the canvas lies in `frame` (after update): the host's own windows stay off it unless the
  // user drags them there. Empty: anywhere.
  virtual Area canvas_area(const FrameInfo&) const { return {}; }
  virtual void detach() = 0;
};

}  // namespace ganvas

extern "C" {

#define GANVAS_PLUGIN_API_VERSION 3u  // 2: PluginHost::loop and draw_overlay, FrameInfo::caption; 3: canvas_area
#define GANVAS_PLUGIN_ENTRY "ganvas_plugin_entry"

// What a module's ganvas_plugin_entry() returns.
struct GanvasPluginApi {
  uint32_t api_version;  // GANVAS_PLUGIN_API_VERSION when the module was built
  const char* name;
  // Creates the plugin from its settings ("key=value" lines; may throw ganvas::Error).
  ganvas::Plugin* (*create)(const char* settings);
  void (*destroy)(ganvas::Plugin*);
};

typedef const GanvasPluginApi* (*GanvasPluginEntry)();
}
