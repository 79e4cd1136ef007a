// ganvas-ogre-demo: a lit OGRE 1.12 scene in which the live digit grid of Plugin_Ganvas turns on a
// panel above a floor while the GAN trains. Space pauses and resumes training, Esc quits.
//
//   ganvas-ogre-demo [--data-dir DIR] [--checkpoint F] [--frames N] [--screenshot F.png]
//                    [--check 1] [--render-system gl3plus|gl] [--plugins-cfg F] [--log F]
//
// --check 1 reads the OGRE texture back after the last frame and compares it with ganvas's own copy of
// the grid; the demo exits 1 when they differ by more than 1/255. --render-system picks OGRE's OpenGL
// 3+ render system (the default: ganvas draws into the texture's GL name) or its older OpenGL one
// (the plugin uploads the grid instead).
//
// OGRE loads both render systems, the STB codec and Plugin_Ganvas from the plugins.cfg the build wrote;
// the render system is configured in code, so OGRE shows no config dialog and needs no ogre.cfg or
// resources.cfg.
#include <OgreApplicationContext.h>
#include <OgreInput.h>
#include <Ogre.h>
#include <OgreOverlaySystem.h>
#include <OgreRTShaderSystem.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "ganvas_ogre.h"

namespace {

struct Options {
  std::string plugins_cfg = GANVAS_OGRE_PLUGINS_CFG, log = "ganvas-ogre.log", data_dir, checkpoint, screenshot;
  std::string render_system = "OpenGL 3+ Rendering Subsystem";
  long frames = 0;
  bool check = false;
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--plugins-cfg") o.plugins_cfg = value;
    else if (key == "--render-system" && (value == "gl3plus" || value == "gl"))
      o.render_system = value == "gl" ? "OpenGL Rendering Subsystem" : "OpenGL 3+ Rendering Subsystem";
    else if (key == "--log") o.log = value;
    else if (key == "--data-dir") o.data_dir = value;
    else if (key == "--checkpoint") o.checkpoint = value;
    else if (key == "--screenshot") o.screenshot = value;
    else if (key == "--frames") o.frames = std::atol(value.c_str());
    else if (key == "--check") o.check = value == "1";
    else return false;
  }
  return argc % 2 == 1;
}

class Demo : public OgreBites::ApplicationContext, public OgreBites::InputListener {
 public:
  explicit Demo(Options options) : OgreBites::ApplicationContext("ganvas-ogre-demo"), options_(std::move(options)) {}

  void createRoot() override {
    // OGRE's log goes to --log only: its default log also prints every line (the GL extension list,
    // some 290 lines) to the terminal. The Root uses the log manager that exists when it is made.
    logs_ = std::make_unique<Ogre::LogManager>();
    logs_->createLog(options_.log, /*defaultLog=*/true, /*debuggerOutput=*/false, /*suppressFileOutput=*/false);
    mRoot = OGRE_NEW Ogre::Root(options_.plugins_cfg, "", options_.log);
    mOverlaySystem = OGRE_NEW Ogre::OverlaySystem();
  }

  bool oneTimeConfig() override {
    Ogre::RenderSystem* gl = mRoot->getRenderSystemByName(options_.render_system);
    if (!gl) return false;
    gl->setConfigOption("Full Screen", "No");
    gl->setConfigOption("Video Mode", "1024 x 640");
    gl->setConfigOption("VSync", "No");
    mRoot->setRenderSystem(gl);
    return true;
  }

  void locateResources() override {
    auto& groups = Ogre::ResourceGroupManager::getSingleton();
    // The RTSS's shader library, and OgreUnifiedShader.h, which Debian ships among the shadow-volume media.
    groups.addResourceLocation(OGRE_MEDIA_DIR "/ShadowVolume", "FileSystem", Ogre::RGN_INTERNAL);
    groups.addResourceLocation(OGRE_MEDIA_DIR "/RTShaderLib/GLSL", "FileSystem", Ogre::RGN_INTERNAL);
    groups.addResourceLocation(OGRE_MEDIA_DIR "/RTShaderLib/materials", "FileSystem", Ogre::RGN_INTERNAL);
  }

  void setup() override {
    OgreBites::ApplicationContext::setup();
    addInputListener(this);
    start_ganvas();
    build_scene();
  }

  bool keyPressed(const OgreBites::KeyboardEvent& event) override {
    if (event.keysym.sym == OgreBites::SDLK_ESCAPE) getRoot()->queueEndRendering();
    if (event.keysym.sym == OgreBites::SDLK_SPACE && ganvas_) {
      ganvas_stats stats{sizeof(ganvas_stats)};
      ganvas_get_stats(ganvas_->context(), &stats);
      ganvas_set_training(ganvas_->context(), !stats.training);
    }
    return true;
  }

  bool frameRenderingQueued(const Ogre::FrameEvent& event) override {
    panel_->yaw(Ogre::Radian(event.timeSinceLastFrame * 0.6f));
    return OgreBites::ApplicationContext::frameRenderingQueued(event);
  }

  bool frameEnded(const Ogre::FrameEvent&) override {
    ++frames_;
    if (options_.frames > 0 && frames_ >= options_.frames) {
      if (options_.check) worst_ = largest_difference();
      if (!options_.screenshot.empty()) {
        getRenderWindow()->writeContentsToFile(options_.screenshot);
        std::printf("wrote %s\n", options_.screenshot.c_str());
      }
      getRoot()->queueEndRendering();
    }
    return true;
  }

  bool started() const { return ganvas_ != nullptr; }
  // The texture as OGRE holds it against ganvas's copy of the grid: the largest difference, 0..255.
  // Training is paused first, so both hold the same weights.
  int largest_difference() const {
    ganvas_set_training(ganvas_->context(), 0);
    ganvas_wait(ganvas_->context());
    ganvas_->refresh();
    Ogre::TexturePtr texture = Ogre::TextureManager::getSingleton().getByName(kGanvasGridTexture, Ogre::RGN_DEFAULT);
    const size_t width = texture->getWidth(), height = texture->getHeight();
    std::vector<unsigned char> in_ogre(width * height * 4), own(width * height * 4);
    texture->getBuffer()->blitToMemory(Ogre::PixelBox(width, height, 1, Ogre::PF_BYTE_RGBA, in_ogre.data()));
    ganvas_read_view(ganvas_->context(), GANVAS_VIEW_GRID, GANVAS_FORMAT_RGBA8, 1, own.data(), own.size());
    int worst = 0;
    for (size_t i = 0; i < own.size(); ++i) worst = std::max(worst, std::abs(int(in_ogre[i]) - int(own[i])));
    return worst;
  }
  int worst() const { return worst_; }

  void report() const {
    ganvas_stats stats{sizeof(ganvas_stats)};
    ganvas_get_stats(ganvas_->context(), &stats);
    std::printf("rendered %ld frames; the panel shows %s at step %llu, updated by %s\n", frames_, kGanvasGridTexture,
                static_cast<unsigned long long>(stats.step), ganvas_->update_path());
  }

 private:
  void start_ganvas() {
    for (Ogre::Plugin* plugin : getRoot()->getInstalledPlugins()) {
      if (plugin->getName() == kGanvasPluginName) ganvas_ = static_cast<GanvasOgrePlugin*>(plugin);
    }
    if (!ganvas_) OGRE_EXCEPT(Ogre::Exception::ERR_ITEM_NOT_FOUND, "Plugin_Ganvas is not loaded", "Demo");
    ganvas_create_info info{sizeof(ganvas_create_info)};
    info.data_dir = options_.data_dir.empty() ? nullptr : options_.data_dir.c_str();
    info.checkpoint = options_.checkpoint.empty() ? nullptr : options_.checkpoint.c_str();
    const int32_t result = ganvas_->start(info);
    if (result != GANVAS_OK) {
      ganvas_ = nullptr;
      OGRE_EXCEPT(Ogre::Exception::ERR_INVALIDPARAMS, std::string("ganvas: ") + ganvas_result_string(result), "Demo");
    }
    if (info.data_dir) ganvas_set_training(ganvas_->context(), 1);
  }

  // A floor, a light, a camera, and a two-sided panel whose material samples the ganvas texture.
  void build_scene() {
    Ogre::SceneManager* scene = getRoot()->createSceneManager();
    Ogre::RTShader::ShaderGenerator::getSingleton().addSceneManager(scene);
    scene->setAmbientLight(Ogre::ColourValue(0.25f, 0.25f, 0.3f));
    Ogre::Light* light = scene->createLight("sun");
    light->setType(Ogre::Light::LT_DIRECTIONAL);
    Ogre::SceneNode* light_node = scene->getRootSceneNode()->createChildSceneNode();
    light_node->attachObject(light);
    light_node->setDirection(Ogre::Vector3(-0.3f, -1.0f, -0.6f));

    Ogre::SceneNode* camera_node = scene->getRootSceneNode()->createChildSceneNode(Ogre::Vector3(0, 60, 260));
    Ogre::Camera* camera = scene->createCamera("camera");
    camera->setNearClipDistance(1);
    camera->setAutoAspectRatio(true);
    camera_node->attachObject(camera);
    camera_node->lookAt(Ogre::Vector3(0, 40, 0), Ogre::Node::TS_WORLD);
    getRenderWindow()->addViewport(camera)->setBackgroundColour(Ogre::ColourValue(0.05f, 0.07f, 0.12f));

    auto panel_material = Ogre::MaterialManager::getSingleton().create("ganvas/panel", Ogre::RGN_DEFAULT);
    Ogre::Pass* pass = panel_material->getTechnique(0)->getPass(0);
    pass->setCullingMode(Ogre::CULL_NONE);
    pass->createTextureUnitState(kGanvasGridTexture)->setTextureFiltering(Ogre::TFO_NONE);
    auto floor_material = Ogre::MaterialManager::getSingleton().create("ganvas/floor", Ogre::RGN_DEFAULT);
    floor_material->getTechnique(0)->getPass(0)->setDiffuse(0.35f, 0.4f, 0.45f, 1.0f);

    Ogre::MeshManager::getSingleton().createPlane("panel", Ogre::RGN_DEFAULT, Ogre::Plane(Ogre::Vector3::UNIT_Z, 0), 100,
                                                  100, 1, 1, true, 1, 1, 1, Ogre::Vector3::UNIT_Y);
    Ogre::MeshManager::getSingleton().createPlane("floor", Ogre::RGN_DEFAULT, Ogre::Plane(Ogre::Vector3::UNIT_Y, 0), 600,
                                                  600, 1, 1, true, 1, 1, 1, Ogre::Vector3::UNIT_Z);
    Ogre::Entity* panel = scene->createEntity("panel");
    panel->setMaterialName("ganvas/panel");
    panel_ = scene->getRootSceneNode()->createChildSceneNode(Ogre::Vector3(0, 60, 0));
    panel_->attachObject(panel);
    Ogre::Entity* floor = scene->createEntity("floor");
    floor->setMaterialName("ganvas/floor");
    scene->getRootSceneNode()->createChildSceneNode()->attachObject(floor);
  }

  Options options_;
  std::unique_ptr<Ogre::LogManager> logs_;  // outlives the Root, which logs as it shuts down
  GanvasOgrePlugin* ganvas_ = nullptr;
  Ogre::SceneNode* panel_ = nullptr;
  long frames_ = 0;
  int worst_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: %s [--data-dir DIR] [--checkpoint F] [--frames N] [--screenshot F.png] [--check 1] "
                 "[--render-system gl3plus|gl] [--plugins-cfg F] [--log F]\n",
                 argv[0]);
    return 2;
  }
  Demo demo(options);
  try {
    demo.initApp();
    demo.getRoot()->startRendering();
    if (demo.started()) demo.report();
    const int worst = demo.worst();
    if (options.check) std::printf("grid in OGRE's texture: largest difference from ganvas's copy %d/255\n", worst);
    demo.closeApp();
    if (options.check && worst > 1) return 1;
  } catch (const Ogre::Exception& e) {
    std::fprintf(stderr, "ganvas-ogre-demo: %s\n", e.getFullDescription().c_str());
    return 1;
  }
  return 0;
}
