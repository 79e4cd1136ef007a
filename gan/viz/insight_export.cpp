// The history's CSV export: the path field, the Export button and the note beside it.
#include "gan/viz/insight_export.h"

#include <imgui.h>

#include <cstdio>
#include <exception>
#include <vector>

#include "common/atomic_file.h"
#include "common/user_dirs.h"
#include "engine/widgets.h"
#include "gan/eval/metrics_log.h"

namespace ganvas {

HistoryExport::HistoryExport() {
  std::snprintf(path_, sizeof(path_), "%s", user_data_file("training-history.csv").c_str());
}

void HistoryExport::write(const Session& session) {
  const std::vector<MetricsRow> ordered = session.history().rows(session.trainer().history());
  try {
    create_parent_directories(path_);
    const std::string text = metrics_csv(ordered);
    write_file_atomically(path_, text.data(), text.size());
    note_ = "wrote " + std::to_string(ordered.size()) + " rows to " + path_;
  } catch (const std::exception& e) {
    note_ = e.what();
  }
}

void HistoryExport::draw(const Session& session) {
  ui::input_text("CSV file", path_, sizeof(path_), "Where Export writes the history");
  if (ui::button("Export CSV", "Writes the charted losses and quality scores, one row per step, as CSV")) {
    write(session);
  }
  if (note_.empty()) return;
  ImGui::SameLine();  // beside the button, where the eye is: a line under it may be below the fold
  ImGui::TextWrapped("%s", note_.c_str());
  ui::remember("Export note");
  ui::tooltip("What the latest Export did");
}

}  // namespace ganvas
