// Autosaves and following, once a frame.
#include "gan/session/run_upkeep.h"


#include "common/printable.h"

namespace ganvas {
namespace {

constexpr double kLookInterval = 0.25;  // seconds between looks at a followed run's checkpoint

}  // namespace

std::string RunUpkeep::update(Session& session, double time) {
  if (session.run_dir().empty()) return "";
  if (session.following()) {
    if (time - last_look_ < kLookInterval) return "";
    last_look_ = time;
    session.follow_run();
    return "";
  }
  if (time - last_save_ < autosave_seconds_) return "";
  last_save_ = time;
  return save(session);
}

std::string RunUpkeep::save(Session& session) {
  try {
    session.save_run();
    return "";
  } catch (const std::exception& e) {
    return "the run could not be saved in " + shown_path(session.run_dir()) + ": " + one_line_message(e.what(), 2000);
  }
}

}  // namespace ganvas
