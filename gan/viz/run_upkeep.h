// What the window does for its run folder while it runs: saves the run every few minutes of
// training, and takes in each checkpoint of a run it follows as soon as it is renamed into place.
#pragma once

#include <string>

#include "gan/session/session.h"

namespace ganvas {

class RunUpkeep {
 public:
  explicit RunUpkeep(double autosave_seconds) : autosave_seconds_(autosave_seconds) {}
  // Each frame, at `time` seconds.
  void update(Session& session, double time);
  // Saves now when the run trained since its last save; says on stderr what went wrong, never throws.
  void save(Session& session);

 private:
  double autosave_seconds_;
  double last_save_ = 0;
  double last_look_ = -1;  // when the followed folder was looked at
};

}  // namespace ganvas
