// Plugin_Ganvas: ganvas as an OGRE plugin, loaded through OGRE's plugins.cfg (Plugin=Plugin_Ganvas).
// Once the application calls start(), a dynamic texture named kGanvasGridTexture holds the live
// digit grid, rewritten by a frame listener whenever new weights arrived, for any OGRE material to use; context()
// gives the C API's handle for training controls. The application finds the plugin by name:
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
  // Copies the current grid into the texture now (the frame listener does it when new weights arrive).
  virtual void refresh() = 0;
};
