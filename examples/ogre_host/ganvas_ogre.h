// Plugin_Ganvas: ganvas as an OGRE plugin, loaded through OGRE's plugins.cfg (Plugin=Plugin_Ganvas).
// Once the application calls start(), a dynamic texture named kGanvasGridTexture holds the live
// digit grid, rewritten by a frame listener whenever new weights arrived, for any OGRE material to use; context()
// gives the C API's handle for training controls. With OGRE's OpenGL 3+ render system ganvas draws
// into the texture's GL name itself (the images never leave the GPU when training runs on CUDA);
// with any other, or when that fails, the grid is copied out and uploaded. The application finds the plugin by name:
//
//   for (Ogre::Plugin* p : root->getInstalledPlugins())
//     if (p->getName() == kGanvasPluginName) ganvas = static_cast<GanvasOgrePlugin*>(p);
#pragma once

#include <OgrePlugin.h>
#include <ganvas/ganvas.h>

inline constexpr const char* kGanvasPluginName = "ganvas";
inline constexpr const char* kGanvasGridTexture = "ganvas/grid";

class GanvasOgrePlugin : public Ogre::Plugin {
 public:
  // Creates the ganvas context and the texture (the render system must be initialised). Returns a
  // GANVAS_* result; the texture and context exist only after GANVAS_OK.
  virtual int32_t start(const ganvas_create_info& info) = 0;
  virtual ganvas_context* context() const = 0;
  // Puts the current grid into the texture now (the frame listener does it when new weights arrive).
  virtual void refresh() = 0;
  // How the texture is updated: "GL" (ganvas draws into it) or "upload".
  virtual const char* update_path() const = 0;
};
