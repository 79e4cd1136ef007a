// Key events on their way to Dear ImGui 1.86, which sees one state per key per frame: every tap is
// seen, modifiers are down with the letter they modify, and fast typing never falls behind.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "engine/key_taps.h"

namespace ganvas {
namespace {

constexpr int kCtrl = 341;  // GLFW_KEY_LEFT_CONTROL

// ImGui's side: the keys down as the events that passed left them, looked at once a frame.
class FrameLoopOfKeys {
 public:
  // Delivers `events` as they arrive during one frame, then runs the frame and its end.
  void frame(const std::vector<KeyEvent>& events) {
    for (const KeyEvent& e : events) apply(e);
    for (int key = 0; key < static_cast<int>(down_.size()); ++key) {
      if (down_[key] && !was_down_[key]) presses_seen.push_back({frame_, key});
    }
    ctrl_down_in_frame.push_back(down_[kCtrl]);
    was_down_ = down_;
    for (const KeyEvent& e : taps_.end_frame()) apply(e);
    ++frame_;
  }
  bool ctrl_down(int frame) const { return ctrl_down_in_frame[frame]; }

  std::vector<std::pair<int, int>> presses_seen;  // frame, key
  std::vector<bool> ctrl_down_in_frame;

 private:
  void apply(const KeyEvent& e) {
    if (!taps_.pass(e)) return;
    if (e.action == KeyEvent::kPress) down_[e.key] = true;
    if (e.action == KeyEvent::kRelease) down_[e.key] = false;
  }

  KeyTaps taps_;
  std::array<bool, 512> down_{}, was_down_{};
  int frame_ = 0;
};

KeyEvent press(int key) { return {key, 0, KeyEvent::kPress, 0}; }
KeyEvent release(int key) { return {key, 0, KeyEvent::kRelease, 0}; }

TEST(KeyTaps, ATapWhosePressAndReleaseArriveInOneFrameIsSeen) {
  FrameLoopOfKeys keys;
  keys.frame({press('R'), release('R')});
  keys.frame({});
  EXPECT_EQ(keys.presses_seen, (std::vector<std::pair<int, int>>{{0, 'R'}}));
}

TEST(KeyTaps, TypingFasterThanTheFramesNeverFallsBehind) {
  // Four taps a frame, as when a frame takes 80 ms and each key 20: every press is seen in the frame
  // it came in, or the next when the same key went down in the frame before (ImGui must see it up
  // in between), so a key typed into a text field is not seen long after the field has gone.
  const std::string text = "WORK/MAIN/ASSETS/MNIST-GAN-20K.SAFETENSORS";
  FrameLoopOfKeys keys;
  std::vector<std::pair<int, int>> typed;
  for (size_t at = 0; at < text.size(); at += 4) {
    std::vector<KeyEvent> events;
    for (size_t i = at; i < std::min(text.size(), at + 4); ++i) {
      events.push_back(press(text[i]));
      events.push_back(release(text[i]));
    }
    const int frame = static_cast<int>(at / 4);
    std::vector<int> distinct;
    for (size_t i = at; i < std::min(text.size(), at + 4); ++i) {
      bool again = false;
      for (int k : distinct) again = again || k == text[i];
      if (!again) typed.push_back({frame, text[i]});
      distinct.push_back(text[i]);
    }
    keys.frame(events);
  }
  keys.frame({});
  keys.frame({});
  for (const auto& expected : typed) {
    bool seen = false;
    for (const auto& [frame, key] : keys.presses_seen) {
      seen = seen || (key == expected.second && frame >= expected.first && frame <= expected.first + 1);
    }
    EXPECT_TRUE(seen) << "'" << char(expected.second) << "' typed in frame " << expected.first << " was not seen by the next";
  }
}

TEST(KeyTaps, AKeyTappedTwiceInOneFrameIsSeenTwice) {
  FrameLoopOfKeys keys;
  keys.frame({press('R'), release('R'), press('R'), release('R')});
  for (int i = 0; i < 4; ++i) keys.frame({});
  EXPECT_EQ(keys.presses_seen, (std::vector<std::pair<int, int>>{{0, 'R'}, {2, 'R'}}));
}

TEST(KeyTaps, CtrlLetGoJustAfterTheLetterIsDownWhenTheLetterIsSeen) {
  FrameLoopOfKeys keys;
  keys.frame({press(kCtrl), press('Q'), release('Q'), release(kCtrl)});
  keys.frame({});
  keys.frame({});
  ASSERT_FALSE(keys.presses_seen.empty());
  EXPECT_TRUE(keys.ctrl_down(0)) << "Ctrl+Q would be seen as a plain Q";
  EXPECT_FALSE(keys.ctrl_down(2)) << "Ctrl stayed down";
}

// Whether the frame that first saw `key` down had Ctrl down.
bool seen_with_ctrl(const FrameLoopOfKeys& keys, int key) {
  for (const auto& [frame, pressed] : keys.presses_seen) {
    if (pressed == key) return keys.ctrl_down(frame);
  }
  ADD_FAILURE() << "'" << char(key) << "' was never seen";
  return false;
}

TEST(KeyTaps, NoFrameSeesCtrlWithALetterItWasNotPressedWith) {
  FrameLoopOfKeys before_ctrl;  // x tapped, then Ctrl pressed, in one frame
  before_ctrl.frame({press('X'), release('X'), press(kCtrl)});
  for (int i = 0; i < 3; ++i) before_ctrl.frame({});
  EXPECT_FALSE(seen_with_ctrl(before_ctrl, 'X')) << "a phantom Ctrl+X";
  FrameLoopOfKeys after_ctrl;  // Ctrl+A, then x typed, in one frame
  after_ctrl.frame({press(kCtrl), press('A'), release('A'), release(kCtrl), press('X'), release('X')});
  for (int i = 0; i < 3; ++i) after_ctrl.frame({});
  EXPECT_TRUE(seen_with_ctrl(after_ctrl, 'A'));
  EXPECT_FALSE(seen_with_ctrl(after_ctrl, 'X')) << "a phantom Ctrl+X";
}

TEST(KeyTaps, ARepeatWaitsBehindItsKeysKeptReleaseAndCtrlBehindAnyKeptEvent) {
  KeyTaps taps;
  EXPECT_TRUE(taps.pass(press('A')));
  EXPECT_FALSE(taps.pass(release('A')));
  EXPECT_FALSE(taps.pass({'A', 0, KeyEvent::kRepeat, 0}));
  EXPECT_TRUE(taps.pass(press('B'))) << "another key's press goes at once";
  EXPECT_TRUE(taps.pass(release('C'))) << "another key's release too";
  EXPECT_FALSE(taps.pass(release(kCtrl))) << "a modifier's release waits behind the kept events";
  const std::vector<KeyEvent> kept = taps.end_frame();
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].key, 'A');
  EXPECT_EQ(kept[1].action, KeyEvent::kRepeat);
  EXPECT_EQ(kept[2].key, kCtrl);
}

}  // namespace
}  // namespace ganvas
