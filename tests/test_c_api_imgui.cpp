// The optional ImGui panel (libganvas_imgui.so) in a host's own Dear ImGui frames: the version check
// at attach, and a click on its Play button starting training. The test is the host, with its own
// copy of Dear ImGui, as a real host has.
#include <gtest/gtest.h>

#include <imgui.h>
#include <imgui_internal.h>

#include <string>

#include "ganvas/ganvas_imgui.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

class HostImGui {
 public:
  HostImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);  // a host's renderer would upload it
  }
  ~HostImGui() { ImGui::DestroyContext(); }
  // One frame with ganvas's panel in it.
  int32_t frame(ganvas_context* gan) {
    ImGui::GetIO().DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    const int32_t result = ganvas_imgui_draw(gan);
    ImGui::Render();
    return result;
  }
};

TEST(CApiImGui, AttachRefusesAnotherDearImGuiAndTheButtonsDrive) {
  const std::string data = test::mnist_dir();
  ganvas_create_info info{};
  info.struct_size = sizeof(info);
  info.data_dir = data.c_str();
  info.device = GANVAS_DEVICE_CPU;
  ganvas_context* gan = nullptr;
  ASSERT_EQ(ganvas_create(&info, &gan), GANVAS_OK);
  HostImGui host;
  EXPECT_EQ(ganvas_imgui_draw(gan), GANVAS_ERROR_STATE) << "draw before attach";
  EXPECT_EQ(ganvas_imgui_attach(gan, ImGui::GetCurrentContext(), "1.89", sizeof(ImGuiIO), sizeof(ImDrawVert)),
            GANVAS_ERROR_UNSUPPORTED);
  EXPECT_NE(std::string(ganvas_imgui_last_error()).find("Dear ImGui 1.86"), std::string::npos) << ganvas_imgui_last_error();
  EXPECT_EQ(ganvas_imgui_attach(gan, ImGui::GetCurrentContext(), IMGUI_VERSION, sizeof(ImGuiIO) + 8, sizeof(ImDrawVert)),
            GANVAS_ERROR_UNSUPPORTED);
  EXPECT_EQ(ganvas_imgui_attach(nullptr, ImGui::GetCurrentContext(), IMGUI_VERSION, sizeof(ImGuiIO), sizeof(ImDrawVert)),
            GANVAS_ERROR_INVALID_HANDLE);
  ASSERT_EQ(GANVAS_IMGUI_ATTACH(gan), GANVAS_OK) << ganvas_imgui_last_error();
  ASSERT_EQ(host.frame(gan), GANVAS_OK);
  ImGuiWindow* window = ImGui::FindWindowByName("ganvas");
  ASSERT_NE(window, nullptr) << "the panel's window is in the host's context";
  // Its first widget is Play: press and release on it.
  const ImVec2 play(window->DC.CursorStartPos.x + 8, window->DC.CursorStartPos.y + 6);
  ImGui::GetIO().MousePos = play;
  host.frame(gan);
  ImGui::GetIO().MouseDown[0] = true;
  host.frame(gan);
  ImGui::GetIO().MouseDown[0] = false;
  host.frame(gan);
  ganvas_stats stats{};
  stats.struct_size = sizeof(stats);
  ASSERT_EQ(ganvas_get_stats(gan, &stats), GANVAS_OK);
  EXPECT_EQ(stats.training, 1) << "the click on Play started training";
  EXPECT_EQ(ganvas_imgui_detach(gan), GANVAS_OK);
  EXPECT_EQ(ganvas_imgui_detach(gan), GANVAS_ERROR_STATE);
  ganvas_destroy(gan);
}

}  // namespace
}  // namespace ganvas
