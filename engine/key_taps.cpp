// Which key events reach Dear ImGui in this frame, and which wait for the next.
#include "engine/key_taps.h"

#include <algorithm>
#include <utility>

namespace ganvas {
namespace {

bool is_modifier(int key) { return key >= 340 && key <= 347; }  // GLFW's left and right Shift, Ctrl, Alt, Super

}  // namespace

bool KeyTaps::kept(int key) const {
  return std::any_of(kept_.begin(), kept_.end(), [key](const KeyEvent& e) { return e.key == key; });
}

bool KeyTaps::modifier_kept() const {
  return std::any_of(kept_.begin(), kept_.end(), [](const KeyEvent& e) { return is_modifier(e.key); });
}

bool KeyTaps::pass(const KeyEvent& event) {
  const bool changes_state = event.action != KeyEvent::kRepeat;
  const bool changed = std::find(changed_this_frame_.begin(), changed_this_frame_.end(), event.key) !=
                       changed_this_frame_.end();
  // A modifier keeps its order with every other key, so no frame sees Ctrl with a letter that was
  // not pressed with it (a phantom Ctrl+X would cut a text field, Ctrl+Q would quit).
  const bool waits = kept(event.key) || (changes_state && changed) || (is_modifier(event.key) && !kept_.empty()) ||
                     modifier_kept();
  if (waits) {
    kept_.push_back(event);
    return false;
  }
  if (changes_state) changed_this_frame_.push_back(event.key);
  return true;
}

std::vector<KeyEvent> KeyTaps::end_frame() {
  changed_this_frame_.clear();
  return std::exchange(kept_, {});
}

}  // namespace ganvas
