// Autosaves and following, once a frame.
#include "gan/viz/run_upkeep.h"

#include <cstdio>

#include "common/printable.h"

namespace ganvas {
namespace {

constexpr double kLookInterval = 0.25;  // seconds between looks at a followed run's checkpoint

}  // namespace

void RunUpkeep::update(Session& session, double time) {
  if (session.run_dir().empty()) return;
  if (session.following()) {
    if (time - last_look_ < kLookInterval) return;
    last_look_ = time;
    session.follow_run();
    return;
  }
  if (time - last_save_ < autosave_seconds_) return;
  last_save_ = time;
  save(session);
}

void RunUpkeep::save(Session& session) {
  try {
    session.save_run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ganvas: the run could not be saved in %s: %s\n", shown_path(session.run_dir()).c_str(),
                 one_line_message(e.what(), 2000).c_str());
  }
}

}  // namespace ganvas
