// What a session's host (the window, the C API) does for its run folder while it runs: saves the run
// every few minutes of training, and takes in each checkpoint of a run it follows as soon as it is
// renamed into place.
#pragma once

#include <string>

#include "gan/session/session.h"

namespace ganvas {

class RunUpkeep {
 public:
  explicit RunUpkeep(double autosave_seconds) : autosave_seconds_(autosave_seconds) {}
  // Often (each frame), at `time` seconds. Returns what went wrong with a save, else "".
  std::string update(Session& session, double time);
  // Saves now when the run trained since its last save. Returns what went wrong, else ""; never throws.
  std::string save(Session& session);

 private:
  double autosave_seconds_;
  double last_save_ = 0;
  double last_look_ = -1;  // when the followed folder was looked at
};

}  // namespace ganvas
