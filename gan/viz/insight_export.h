// "History" in the Insight tab: the run's charted history (losses and quality scores, one row per
// step) exported as CSV to a path the user picks, and a note of what the latest export did.
#pragma once

#include <string>

#include "gan/session/session.h"

namespace ganvas {

class HistoryExport {
 public:
  HistoryExport();  // the path starts as training-history.csv in the user's data folder

  void draw(const Session& session);
  const std::string& note() const { return note_; }

 private:
  void write(const Session& session);

  char path_[512] = "";
  std::string note_;
};

}  // namespace ganvas
