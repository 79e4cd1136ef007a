// Plugin_Ganvas: the live digit grid as an OGRE texture, updated from a frame listener. With OGRE's
// OpenGL 3+ render system ganvas draws into the texture's GL name (through CUDA-GL interop when
// training runs on CUDA); otherwise, or once that failed, through the C API's renderer-neutral path
// (RGBA8 into the texture's pixel buffer), which works with any OGRE render system.
#include <OgreFrameListener.h>
#include <OgreHardwarePixelBuffer.h>
#include <OgreLogManager.h>
#include <OgreRoot.h>
#include <OgreRenderSystem.h>
#include <OgreTextureManager.h>
#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <vector>

#include "ganvas_ogre.h"

namespace {

// ganvas's notes go to OGRE's log; its errors also to stderr, where a user sees why it did not start
// (which file did not open) even when OGRE's log is a file only.
void log_to_ogre(void*, int32_t level, const char* message) {
  Ogre::LogManager::getSingleton().logMessage(std::string("ganvas: ") + message,
                                              level == GANVAS_LOG_ERROR ? Ogre::LML_CRITICAL : Ogre::LML_NORMAL);
  if (level == GANVAS_LOG_ERROR) std::fprintf(stderr, "ganvas: %s\n", message);
}

// GL's loader for the context OGRE made current: GLX's, or EGL's where OGRE was built for EGL. Both
// come from the GL libraries OGRE's render system loaded; null when neither has a current context.
using GlLoader = void* (*)(const char*);
GlLoader current_gl_loader() {
  using CurrentContext = void* (*)();
  const auto glx_current = reinterpret_cast<CurrentContext>(dlsym(RTLD_DEFAULT, "glXGetCurrentContext"));
  if (glx_current != nullptr && glx_current() != nullptr) {
    return reinterpret_cast<GlLoader>(dlsym(RTLD_DEFAULT, "glXGetProcAddressARB"));
  }
  const auto egl_current = reinterpret_cast<CurrentContext>(dlsym(RTLD_DEFAULT, "eglGetCurrentContext"));
  if (egl_current != nullptr && egl_current() != nullptr) {
    return reinterpret_cast<GlLoader>(dlsym(RTLD_DEFAULT, "eglGetProcAddress"));
  }
  return nullptr;
}

GlLoader gl_loader = nullptr;
void* load_gl(void*, const char* name) { return gl_loader(name); }

class Plugin final : public GanvasOgrePlugin, public Ogre::FrameListener {
 public:
  const Ogre::String& getName() const override { return name_; }
  void install() override {}
  void initialise() override {}
  void shutdown() override { stop(); }
  void uninstall() override {}

  int32_t start(const ganvas_create_info& info) override {
    if (context_) return GANVAS_ERROR_STATE;
    ganvas_create_info with_log = info;
    if (!with_log.log) with_log.log = log_to_ogre;
    // New weights mark the texture stale (the application's own callback, if any, still runs).
    app_on_new_weights_ = info.on_new_weights;
    app_frame_user_ = info.frame_user;
    with_log.on_new_weights = [](void* self) { static_cast<Plugin*>(self)->new_weights(); };
    with_log.frame_user = this;
    int32_t result = ganvas_create(&with_log, &context_);
    if (result != GANVAS_OK) return result;
    int32_t width = 0, height = 0;
    ganvas_view_size(context_, GANVAS_VIEW_GRID, &width, &height);
    try {
      texture_ = Ogre::TextureManager::getSingleton().createManual(
          kGanvasGridTexture, Ogre::RGN_DEFAULT, Ogre::TEX_TYPE_2D, static_cast<Ogre::uint>(width),
          static_cast<Ogre::uint>(height), 0, Ogre::PF_BYTE_RGBA, Ogre::TU_DYNAMIC_WRITE_ONLY_DISCARDABLE);
    } catch (const Ogre::Exception&) {
      ganvas_destroy(context_);
      context_ = nullptr;
      throw;
    }
    pixels_.resize(static_cast<size_t>(width) * height * 4);
    attach_gl();
    Ogre::Root::getSingleton().addFrameListener(this);
    refresh();
    return GANVAS_OK;
  }

  ganvas_context* context() const override { return context_; }

  // The grid changes only with the weights: the texture is written when new ones arrived.
  bool frameStarted(const Ogre::FrameEvent&) override {
    if (stale_.exchange(false)) refresh();
    return true;
  }

  void refresh() override {
    if (gl_attached_ && draw_into_texture()) return;
    if (ganvas_read_view(context_, GANVAS_VIEW_GRID, GANVAS_FORMAT_RGBA8, 1, pixels_.data(), pixels_.size()) !=
        GANVAS_OK) {
      return;  // the reason went to OGRE's log
    }
    const Ogre::PixelBox box(texture_->getWidth(), texture_->getHeight(), 1, Ogre::PF_BYTE_RGBA, pixels_.data());
    texture_->getBuffer()->blitFromMemory(box);
  }

  const char* update_path() const override { return gl_attached_ ? "GL" : "upload"; }

 private:
  // With OGRE's OpenGL 3+ render system (its context current here), ganvas's render lane on it.
  void attach_gl() {
    if (Ogre::Root::getSingleton().getRenderSystem()->getName() != "OpenGL 3+ Rendering Subsystem") return;
    gl_loader = current_gl_loader();
    gl_attached_ = gl_loader != nullptr && ganvas_render_attach(context_, load_gl, nullptr) == GANVAS_OK;
  }

  // The grid drawn into the texture's GL name, rows top first as OGRE samples them; on failure (the
  // reason went to OGRE's log) the upload takes over for good.
  bool draw_into_texture() {
    unsigned int name = 0;
    texture_->getCustomAttribute("GLID", &name);
    if (ganvas_render_to_texture_rows(context_, GANVAS_VIEW_GRID, name, 1, GANVAS_ROWS_TOP_FIRST) == GANVAS_OK) {
      return true;
    }
    ganvas_render_detach(context_);
    gl_attached_ = false;
    return false;
  }

  void new_weights() {  // the training thread: set a flag, nothing more
    stale_ = true;
    if (app_on_new_weights_) app_on_new_weights_(app_frame_user_);
  }


  void stop() {
    if (!context_) return;
    Ogre::Root::getSingleton().removeFrameListener(this);
    // OGRE may have closed its windows, and their GL context, before its plugins shut down: without a
    // current context ganvas_destroy leaves its few GL objects to that context instead.
    if (gl_attached_ && current_gl_loader() != nullptr) ganvas_render_detach(context_);
    gl_attached_ = false;
    ganvas_destroy(context_);
    context_ = nullptr;
    Ogre::TextureManager::getSingleton().remove(texture_);  // a later start() can make it again
    texture_.reset();
  }

  Ogre::String name_ = kGanvasPluginName;
  ganvas_context* context_ = nullptr;
  Ogre::TexturePtr texture_;
  std::vector<unsigned char> pixels_;
  std::atomic<bool> stale_{true};
  bool gl_attached_ = false;  // ganvas draws into the texture's GL name
  ganvas_frame_fn app_on_new_weights_ = nullptr;
  void* app_frame_user_ = nullptr;
};

Plugin* plugin = nullptr;

}  // namespace

extern "C" __attribute__((visibility("default"))) void dllStartPlugin() {
  plugin = new Plugin;
  Ogre::Root::getSingleton().installPlugin(plugin);
}

extern "C" __attribute__((visibility("default"))) void dllStopPlugin() {
  Ogre::Root::getSingleton().uninstallPlugin(plugin);
  delete plugin;
  plugin = nullptr;
}
