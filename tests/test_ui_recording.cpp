// UI tests of the Recording window, driven through its real widgets: videos last as long as they
// were recorded, files of earlier runs are never replaced, the window stays off the canvas and keeps
// the corner a user drags it to through resizes, its buttons stay under the pointer while its lines
// change, and it says how many frames a slow recording kept and repeated.
#include <gtest/gtest.h>

#include <imgui_internal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "gan/viz/canvas_layout.h"
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

// The canvas's part of the window: all of it left of the visualizer's panel column.
ImRect canvas_rect(const UiDriver& ui) {
  const Size size = ui.size();
  return ImRect(0, 0, static_cast<float>(size.width) - panel_column_width(static_cast<float>(size.width), 1.0f),
                static_cast<float>(size.height));
}

// The Recording window as drawn in the latest frame, title bar and all.
ImRect recording_rect() {
  const ImGuiWindow* window = ImGui::FindWindowByName("###Recording");
  return window ? window->Rect() : ImRect();
}

// The number in the Recording window's text that reads "N<suffix>" (e.g. " repeated"); -1 when none.
double shown_number(const std::string& suffix) {
  for (const ui::WidgetInfo& w : ui::drawn_widgets()) {
    const size_t at = w.label.size() - std::min(w.label.size(), suffix.size());
    if (w.window.find("###Recording") == std::string::npos || w.label.compare(at, std::string::npos, suffix) != 0) continue;
    double value = -1;
    if (std::sscanf(w.label.c_str(), "%lf", &value) == 1) return value;
  }
  return -1;
}

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Under ThreadSanitizer a frame takes ten times as long, and on a loaded machine the last frames the
// encoder could not take in time are dropped (counted), so a video may end a few slow frames early:
// its suite checks the threads, the other two suites the length.
#if defined(__SANITIZE_THREAD__)
constexpr double kShortestShare = 0.5;
constexpr double kSlotsLeeway = 10.0;  // slots (a second at 10 fps): a frame's own time is part of the count
#else
constexpr double kShortestShare = 0.9;
constexpr double kSlotsLeeway = 5.0;
#endif

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
  EXPECT_GE(seconds, kShortestShare * shortest) << "a recording of " << shortest << "-" << longest << " s plays for " << seconds << " s";
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

// The Screenshot button's PNG showed the button's own tooltip: the frame it captures shows none.
TEST(UiRecording, AScreenshotLeavesOutTheButtonsTooltip) {
  const std::string out = scratch("screenshot-tooltip");
  UiDriver ui({1280, 720}, paused_config(), out);
  test::unfold_recording(ui);
  ui.aim("Screenshot");
  ui.frames(3);
  const auto tooltip_shown = [] {
    ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
    return tip != nullptr && tip->Active;
  };
  ASSERT_TRUE(tooltip_shown()) << "resting on Screenshot shows its tooltip";
  ImGui::GetIO().MouseDown[0] = true;
  ui.frames(1);
  ImGui::GetIO().MouseDown[0] = false;
  const std::string png = out + "/ganvas-1.png";
  for (int i = 0; i < 4 && !fs::exists(png); ++i) {
    ui.frames(1);
    if (fs::exists(png)) {
      EXPECT_FALSE(tooltip_shown()) << "the captured frame showed the button's tooltip";
    }
  }
  EXPECT_TRUE(fs::is_regular_file(png));
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

TEST(UiRecording, WhileRecordingThePanelShowsTheRateKeptAndTheSlotsRepeated) {
  UiDriver ui({640, 400}, paused_config(), scratch("rates"));
  test::unfold_recording(ui);
  ui.drag_slider("fps", 0.0f);  // 10 fps: a slot every 100 ms
  ui.click("Record (R)");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(ui.recording().recording());
  // A frame every 300 ms or more: each one leaves at least two slots after it to be repeated.
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ui.frames(1);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double rate = shown_number(" frames/s"), repeated = shown_number(" repeated"), dropped = shown_number(" dropped");
  ASSERT_GE(rate, 0) << "no frames/s shown";
  ASSERT_GE(repeated, 0) << "no repeated count shown";
  ASSERT_EQ(dropped, 0);
  EXPECT_GT(rate, 1.0);
  EXPECT_LE(rate, 1.0 / 0.3 + 0.2) << "more frames kept per second than were drawn";
  // The frames kept and the slots repeated are the slots that passed, 10 a second; each slow frame
  // leaves two or more.
  const double kept = rate * seconds;
  EXPECT_GE(repeated, 2 * (kept - 2));
  EXPECT_NEAR(kept + repeated, seconds * 10, kSlotsLeeway) << "kept and repeated are not the slots that passed";
  // Each number explains itself.
  for (const char* suffix : {" frames/s", " repeated", " dropped"}) {
    for (const ui::WidgetInfo& w : ui::drawn_widgets()) {
      if (w.label.size() < std::strlen(suffix) || w.label.compare(w.label.size() - std::strlen(suffix), std::string::npos, suffix) != 0) continue;
      ui.move_to(ImVec2((w.min.x + w.max.x) * 0.5f, (w.min.y + w.max.y) * 0.5f));
      ui.frames(1);
      const ImGuiWindow* tooltip = ImGui::FindWindowByName("##Tooltip_00");
      EXPECT_TRUE(tooltip && tooltip->Active) << "'" << w.label << "' has no tooltip";
    }
  }
  ui.click("Stop (R)");
}

// The rule: nothing ganvas draws covers the canvas unless the user drags it there — folded, unfolded,
// recording, with the message a recording leaves, and unfolded at the next start.
TEST(UiLayout, TheRecordingPanelCoversNoPartOfTheCanvas) {
  for (const Size size : {Size{1000, 600}, Size{1280, 720}, Size{1920, 1080}}) {
    SCOPED_TRACE(std::to_string(size.width) + "x" + std::to_string(size.height));
    const std::string dir = scratch("off-canvas-" + std::to_string(size.width));
    const std::string file = dir + "/layout.ini";
    const auto expect_clear = [](UiDriver& ui, const char* when) {
      const ImRect panel = recording_rect(), canvas = canvas_rect(ui);
      EXPECT_FALSE(panel.Overlaps(canvas)) << when << ": the panel spans x " << panel.Min.x << "-" << panel.Max.x
                                           << ", the canvas x " << canvas.Min.x << "-" << canvas.Max.x;
      EXPECT_GE(panel.Min.y, 0.0f) << when;
      EXPECT_LE(panel.Max.x, ui.size().width) << when;
      EXPECT_LE(panel.Max.y, ui.size().height) << when;
    };
    {
      UiDriver ui(size, paused_config(), dir, file);
      expect_clear(ui, "folded");
      test::unfold_recording(ui);
      expect_clear(ui, "unfolded");
      ui.click("canvas only");
      ui.click("Record (R)");
      ASSERT_TRUE(ui.recording().recording());
      ui.frames(3);
      expect_clear(ui, "recording");
      EXPECT_LE(ui.widget("Screenshot").max.x, recording_rect().Max.x) << "the panel is too narrow for its buttons";
      ui.click("Stop (R)");
      ui.frames(2);
      expect_clear(ui, "after recording");
    }
    UiDriver ui(size, paused_config(), dir, file);
    ASSERT_TRUE(ui.has_widget("Record (R)")) << "unfolded, as the last run left it";
    expect_clear(ui, "unfolded at the next start");
  }
}

TEST(UiLayout, TheRecordingPanelKeepsItsPlaceWhenTheWindowIsResized) {
  UiDriver ui({1280, 720}, paused_config(), scratch("resize"));
  // Undragged, it stays right of the canvas, 8 up from the bottom.
  for (const Size size : {Size{400, 300}, Size{1600, 1000}}) {
    ui.resize(size);
    EXPECT_NEAR(ui.widget("Recording").min.x, canvas_rect(ui).Max.x + 8.0f, 1.0f) << size.width;
    EXPECT_NEAR(ui.widget("Recording").max.y, size.height - 8.0f, 1.0f) << size.width;
  }
  // Dragged up and left, it keeps that place measured from the bottom-left corner; a window too
  // small for it holds it inside, and growing again brings it back.
  const ui::WidgetInfo title = ui.widget("Recording");
  ui.drag(ImVec2((title.min.x + title.max.x) * 0.5f, (title.min.y + title.max.y) * 0.5f),
          ImVec2((title.min.x + title.max.x) * 0.5f - 300, (title.min.y + title.max.y) * 0.5f - 200));
  const ui::WidgetInfo dragged = ui.widget("Recording");
  ASSERT_NEAR(dragged.min.x, title.min.x - 300, 2.0f);
  ui.resize({640, 240});
  EXPECT_LE(ui.widget("Recording").max.x, 640.0f);
  EXPECT_GE(ui.widget("Recording").min.y, 0.0f);
  ui.resize({1600, 1000});
  EXPECT_NEAR(ui.widget("Recording").min.x, dragged.min.x, 1.0f);
  EXPECT_NEAR(ui.widget("Recording").max.y, dragged.max.y, 1.0f);
}

TEST(UiLayout, TheRecordingPanelsDraggedCornerIsRememberedWhateverTheNextWindowsSize) {
  const std::string dir = scratch("corner-remembered");
  const std::string file = dir + "/layout.ini";
  float dragged_x = 0;
  {
    UiDriver ui({640, 480}, paused_config(), dir, file);
    const ui::WidgetInfo title = ui.widget("Recording");
    const ImVec2 grab((title.min.x + title.max.x) * 0.5f, (title.min.y + title.max.y) * 0.5f);
    ui.drag(grab, ImVec2(grab.x - 250, grab.y - 100));
    ASSERT_NEAR(ui.widget("Recording").max.y, 480.0f - 8.0f - 100.0f, 2.0f);
    dragged_x = ui.widget("Recording").min.x;
  }
  UiDriver ui({1280, 720}, paused_config(), dir, file);
  EXPECT_NEAR(ui.widget("Recording").min.x, dragged_x, 2.0f) << "the user put it over the canvas: it stays there";
  EXPECT_NEAR(ui.widget("Recording").max.y, 720.0f - 8.0f - 100.0f, 2.0f) << "it came back as far from the bottom as it was";
  EXPECT_FALSE(ui.has_widget("Record (R)")) << "still folded";
}

TEST(UiLayout, TheRecordingPanelStartsFoldedBesideTheCanvas) {
  UiDriver ui({1280, 720}, paused_config(), scratch("corner"));
  const ui::WidgetInfo title = ui.widget("Recording");
  EXPECT_NEAR(title.min.x, canvas_rect(ui).Max.x + 8.0f, 1.0f);
  EXPECT_NEAR(title.max.y, 720.0f - 8.0f, 1.0f);
  EXPECT_FALSE(ui.has_widget("Record (R)")) << "it starts folded";
  ui.click_at(ImVec2(title.min.x + ImGui::GetStyle().FramePadding.x + ImGui::GetFontSize() * 0.5f,
                     (title.min.y + title.max.y) * 0.5f));
  ui.frames(3);
  const ui::WidgetInfo record = ui.widget("Record (R)");
  EXPECT_LT(record.max.y, 720.0f) << "unfolded, it grows upward from its corner";
  EXPECT_NEAR(ui.widget("Recording").min.x, title.min.x, 1.0f);
}

TEST(UiLayout, TheRecordingPanelStaysOverThePanelColumnWhenAPanelThereIsClicked) {
  UiDriver ui({1280, 720}, paused_config(), scratch("on-top"));
  test::unfold_recording(ui);
  const ui::WidgetInfo record = ui.widget("Record (R)");
  const ImVec2 middle((record.frame_min.x + record.frame_max.x) * 0.5f, (record.frame_min.y + record.frame_max.y) * 0.5f);
  ui.click_at(ImVec2(canvas_rect(ui).Max.x + 4, 40));  // into the visualizer's panels, off the Recording window
  ui.click_at(middle);
  EXPECT_TRUE(ui.recording().recording()) << "the panels behind took the click meant for Record";
  ui.click("Stop (R)");
}

TEST(UiLayout, TheRecordingPanelFollowsADragOfItsTitle) {
  UiDriver ui({1280, 720}, paused_config(), scratch("drag"));
  const ui::WidgetInfo title = ui.widget("Recording");
  const ImVec2 grab((title.min.x + title.max.x) * 0.5f, (title.min.y + title.max.y) * 0.5f);
  ui.move_to(grab);
  ImGui::GetIO().MouseDown[0] = true;
  ui.frames(1);
  for (int step = 1; step <= 5; ++step) ui.move_to(ImVec2(grab.x - 60.0f * step, grab.y - 50.0f * step));
  ImGui::GetIO().MouseDown[0] = false;
  ui.frames(3);
  EXPECT_NEAR(ui.widget("Recording").min.x, title.min.x - 300.0f, 2.0f);
  EXPECT_NEAR(ui.widget("Recording").min.y, title.min.y - 250.0f, 2.0f);
}

}  // namespace
}  // namespace ganvas
