// Key events from the window, held back just enough for Dear ImGui 1.86, which reads each key's
// state once a frame: a key whose press and release both reached it between two frames would be a
// tap it never saw. Pure, so tests feed it events without a window.
#pragma once

#include <vector>

namespace ganvas {

// A key event as GLFW gives it; `action` uses GLFW's values.
struct KeyEvent {
  static constexpr int kRelease = 0, kPress = 1, kRepeat = 2;
  int key = 0, scancode = 0, action = 0, mods = 0;
};

class KeyTaps {
 public:
  // Whether `event` goes to ImGui now. If not, it is kept, in order, for end_frame.
  // - A key changes state at most once a frame: its second change waits for the next frame.
  // - An event of a key with an event kept waits behind it.
  // - A modifier's press or release waits while any event is kept, and every event waits behind a
  //   kept modifier's: a Ctrl let go just after a tapped letter (Ctrl+Q) is still down in the frame
  //   that sees the letter, and no frame sees Ctrl with a letter it was not pressed with.
  // Every other event goes now: typing fast never falls more than a frame behind the text it types,
  // whose characters reach ImGui unheld.
  bool pass(const KeyEvent& event);
  // At a frame's end, when ImGui has seen this frame's keys: the kept events, to offer again
  // through pass() in the order given.
  std::vector<KeyEvent> end_frame();

 private:
  bool kept(int key) const;
  bool modifier_kept() const;

  std::vector<int> changed_this_frame_;
  std::vector<KeyEvent> kept_;
};

}  // namespace ganvas
