// UI tests of the Recording window, driven through its real widgets: videos last as long as they
// were recorded, files of earlier runs are never replaced, the window keeps its corner through
// resizes, and its buttons stay under the pointer while its lines change.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "tests/test_support.h"
#include "tests/ui_driver.h"

namespace ganvas {
namespace {

namespace fs = std::filesystem;
using test::differs;
using test::paused_config;
using test::scratch;
using test::settle;
using test::UiDriver;

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Clicks Stop and checks that the video plays as long as it was recorded: at least from the end of
// the Record click to the start of the Stop click, at most from the start of one to the end of the other.
void stop_and_expect_length(UiDriver& ui, const std::string& video, std::chrono::steady_clock::time_point before_record,
                            std::chrono::steady_clock::time_point after_record) {
  const auto before_stop = std::chrono::steady_clock::now();
  ui.click("Stop (R)");
  const auto after_stop = std::chrono::steady_clock::now();
  const double shortest = std::chrono::duration<double>(before_stop - after_record).count();
  const double longest = std::chrono::duration<double>(after_stop - before_record).count();
  const double seconds = test::video_seconds(video);
  EXPECT_GE(seconds, 0.9 * shortest) << "a recording of " << shortest << "-" << longest << " s plays for " << seconds << " s";
  EXPECT_LE(seconds, 1.1 * longest) << "a recording of " << shortest << "-" << longest << " s plays for " << seconds << " s";
}

TEST(UiRecording, ARecordingLastsAsLongAsTheUserRecorded) {
  const std::string out = scratch("duration");
  UiDriver ui({640, 400}, paused_config(), out);
  test::unfold_recording(ui);
  ui.drag_slider("fps", 1.0f);  // 60 fps, faster than llvmpipe draws this window
  using Clock = std::chrono::steady_clock;
  const auto before_record = Clock::now();
  ui.click("Record (R)");
  const auto after_record = Clock::now();
  ASSERT_TRUE(ui.recording().recording());
  while (Clock::now() - after_record < std::chrono::milliseconds(2500)) {
    ui.frames(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop_and_expect_length(ui, out + "/ganvas-1.mp4", before_record, after_record);
  ui.click("Screenshot");
  EXPECT_TRUE(fs::is_regular_file(out + "/ganvas-2.png"));
}

TEST(UiRecording, ACanvasRecordingLastsAsLongAsTheUserRecorded) {
  const std::string out = scratch("canvas-duration");
  UiDriver ui({640, 400}, paused_config(), out);
  test::unfold_recording(ui);
  ui.click("canvas only");  // 1280x720 whatever the window's size; frames the video skips are not drawn
  using Clock = std::chrono::steady_clock;
  const auto before_record = Clock::now();
  ui.click("Record (R)");
  const auto after_record = Clock::now();
  while (Clock::now() - after_record < std::chrono::milliseconds(2000)) ui.frames(1);
  stop_and_expect_length(ui, out + "/ganvas-1.mp4", before_record, after_record);
}

TEST(UiRecording, TheCanvasCaptionNamesTheStepLossesAndModel) {
  UiDriver ui({640, 400}, paused_config(), scratch("caption"));
  ui.click("Step");
  settle(ui);
  const Size video{1280, 720};
  const auto render_canvas = [&](bool caption) {
    RenderTarget target(video);
    target.bind();
    FrameInfo frame;
    frame.framebuffer = video;
    frame.canvas_only = true;
    frame.caption = caption;
    ui.viz().render(frame);
    const std::vector<uint8_t> all = read_pixels(target.framebuffer(), video);
    return std::vector<uint8_t>(all.end() - static_cast<std::ptrdiff_t>(video.width) * 4 * 60, all.end());  // the bottom 60 rows
  };
  EXPECT_TRUE(differs(render_canvas(false), render_canvas(true))) << "the caption left the bottom of the canvas blank";
}

TEST(UiRecording, NumbersGoOnPastTheFilesOfEarlierRuns) {
  const std::string out = scratch("numbering");
  std::ofstream(out + "/ganvas-1.mp4") << "a video from an earlier run";
  std::ofstream(out + "/ganvas-2.png") << "a screenshot from an earlier run";
  UiDriver ui({640, 400}, paused_config(), out);
  ui.press_key('R');
  ASSERT_TRUE(ui.recording().recording());
  ui.frames(10);
  ui.press_key('R');
  EXPECT_FALSE(ui.recording().recording());
  EXPECT_GT(test::video_seconds(out + "/ganvas-3.mp4"), 0.0) << "the new video is the next free number";
  EXPECT_EQ(contents(out + "/ganvas-1.mp4"), "a video from an earlier run");
  EXPECT_EQ(contents(out + "/ganvas-2.png"), "a screenshot from an earlier run");
  test::unfold_recording(ui);
  ui.click("Screenshot");
  EXPECT_TRUE(fs::is_regular_file(out + "/ganvas-4.png"));
  EXPECT_EQ(contents(out + "/ganvas-2.png"), "a screenshot from an earlier run");
}

TEST(UiRecording, StopIsWhereRecordWasWhateverTheLinesAboveSay) {
  UiDriver ui({1280, 720}, paused_config(), scratch("buttons-stay"));
  test::unfold_recording(ui);
  ui.click("Screenshot");  // a "wrote ..." line appears above the buttons
  ui.frames(2);             // the window has grown to fit it
  const ui::WidgetInfo record = ui.widget("Record (R)");
  const ui::WidgetInfo screenshot = ui.widget("Screenshot");
  ui.click("canvas only");
  EXPECT_EQ(ui.widget("Record (R)").frame_min.y, record.frame_min.y) << "the canvas's size row moved Record";
  ui.click("window");
  ui.click("Record (R)");
  ASSERT_TRUE(ui.recording().recording());
  ui.frames(2);
  const ui::WidgetInfo stop = ui.widget("Stop (R)");
  EXPECT_EQ(stop.frame_min.x, record.frame_min.x);
  EXPECT_EQ(stop.frame_min.y, record.frame_min.y) << "a second click at the same spot would miss Stop";
  EXPECT_EQ(stop.frame_max.x, record.frame_max.x);
  EXPECT_EQ(ui.widget("Screenshot").frame_min.x, screenshot.frame_min.x);
  EXPECT_EQ(ui.widget("Screenshot").frame_min.y, screenshot.frame_min.y);
  ui.click_at(ImVec2((record.frame_min.x + record.frame_max.x) * 0.5f, (record.frame_min.y + record.frame_max.y) * 0.5f));
  EXPECT_FALSE(ui.recording().recording()) << "the click where Record was did not stop the recording";
}

TEST(UiLayout, TheRecordingPanelKeepsItsCornerWhenTheWindowIsResized) {
  UiDriver ui({1280, 720}, paused_config(), scratch("resize"));
  ui.resize({400, 300});
  EXPECT_NEAR(ui.widget("Recording").min.x, 8.0f, 1.0f);
  EXPECT_NEAR(ui.widget("Recording").max.y, 300.0f - 8.0f, 1.0f);
  ui.resize({1600, 1000});
  EXPECT_NEAR(ui.widget("Recording").min.x, 8.0f, 1.0f);
  EXPECT_NEAR(ui.widget("Recording").max.y, 1000.0f - 8.0f, 1.0f) << "it stayed where the small window put it";
  // Dragged up and right, it keeps that place measured from the bottom-left corner; a window too
  // small for it holds it inside, and growing again brings it back.
  const ui::WidgetInfo title = ui.widget("Recording");
  ui.drag(ImVec2((title.min.x + title.max.x) * 0.5f, (title.min.y + title.max.y) * 0.5f),
          ImVec2((title.min.x + title.max.x) * 0.5f + 300, (title.min.y + title.max.y) * 0.5f - 200));
  const ui::WidgetInfo dragged = ui.widget("Recording");
  ASSERT_NEAR(dragged.min.x, title.min.x + 300, 2.0f);
  ui.resize({640, 240});
  EXPECT_LE(ui.widget("Recording").max.x, 640.0f);
  EXPECT_GE(ui.widget("Recording").min.y, 0.0f);
  ui.resize({1600, 1000});
  EXPECT_NEAR(ui.widget("Recording").min.x, dragged.min.x, 1.0f);
  EXPECT_NEAR(ui.widget("Recording").max.y, dragged.max.y, 1.0f);
}

TEST(UiLayout, TheRecordingPanelsCornerIsRememberedWhateverTheNextWindowsSize) {
  const std::string dir = scratch("corner-remembered");
  const std::string file = dir + "/layout.ini";
  {
    UiDriver ui({640, 480}, paused_config(), dir, file);
    const ui::WidgetInfo title = ui.widget("Recording");
    const ImVec2 grab((title.min.x + title.max.x) * 0.5f, (title.min.y + title.max.y) * 0.5f);
    ui.drag(grab, ImVec2(grab.x + 50, grab.y - 100));
    ASSERT_NEAR(ui.widget("Recording").max.y, 480.0f - 8.0f - 100.0f, 2.0f);
  }
  UiDriver ui({1280, 720}, paused_config(), dir, file);
  EXPECT_NEAR(ui.widget("Recording").min.x, 8.0f + 50.0f, 2.0f);
  EXPECT_NEAR(ui.widget("Recording").max.y, 720.0f - 8.0f - 100.0f, 2.0f) << "it came back as far from the bottom as it was";
  EXPECT_FALSE(ui.has_widget("Record (R)")) << "still folded";
}

TEST(UiLayout, TheRecordingPanelStartsFoldedInTheBottomLeftCorner) {
  UiDriver ui({1280, 720}, paused_config(), scratch("corner"));
  const ui::WidgetInfo title = ui.widget("Recording");
  EXPECT_NEAR(title.min.x, 8.0f, 1.0f);
  EXPECT_NEAR(title.max.y, 720.0f - 8.0f, 1.0f);
  EXPECT_FALSE(ui.has_widget("Record (R)")) << "it starts folded";
  ui.click_at(ImVec2(title.min.x + ImGui::GetStyle().FramePadding.x + ImGui::GetFontSize() * 0.5f,
                     (title.min.y + title.max.y) * 0.5f));
  ui.frames(3);
  const ui::WidgetInfo record = ui.widget("Record (R)");
  EXPECT_LT(record.max.y, 720.0f) << "unfolded, it grows upward from its corner";
  EXPECT_NEAR(ui.widget("Recording").min.x, 8.0f, 1.0f);
}

TEST(UiLayout, TheRecordingPanelFollowsADragOfItsTitle) {
  UiDriver ui({1280, 720}, paused_config(), scratch("drag"));
  const ui::WidgetInfo title = ui.widget("Recording");
  const ImVec2 grab((title.min.x + title.max.x) * 0.5f, (title.min.y + title.max.y) * 0.5f);
  ui.move_to(grab);
  ImGui::GetIO().MouseDown[0] = true;
  ui.frames(1);
  for (int step = 1; step <= 5; ++step) ui.move_to(ImVec2(grab.x + 60.0f * step, grab.y - 50.0f * step));
  ImGui::GetIO().MouseDown[0] = false;
  ui.frames(3);
  EXPECT_NEAR(ui.widget("Recording").min.x, title.min.x + 300.0f, 2.0f);
  EXPECT_NEAR(ui.widget("Recording").min.y, title.min.y - 250.0f, 2.0f);
}

}  // namespace
}  // namespace ganvas
