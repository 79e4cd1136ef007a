// The run the window shows, with everything that belongs to it alone: its session, the tabs that
// read and command it, the analysis of its weights and its images on the GPU. Opening another run
// replaces all of it at once.
#pragma once

#include <memory>
#include <string>

#include "gan/render/session_images.h"
#include "gan/session/session.h"
#include "gan/viz/explore_tab.h"
#include "gan/viz/explorer_analysis.h"
#include "gan/viz/insight_panel.h"
#include "gan/viz/train_tab.h"

namespace ganvas {

struct ShownRunSetup {
  SessionConfig session;
  std::string checkpoint_file;  // the file field's first path (Load and Save)
  bool walk = false;            // a scripted walk (ganvas record)
  std::string output_dir;       // the Explore tab's exports
  std::string data_dir;         // MNIST for the Insight tab's views and scores, when the run trains or is followed
  DatasetKind dataset = DatasetKind::kMnist;
};

struct ShownRun {
  explicit ShownRun(const ShownRunSetup& setup)
      : session(std::make_unique<Session>(setup.session)),
        train(*session, setup.checkpoint_file, setup.walk),
        explore(*session, setup.output_dir),
        insight(session->trainer().status().has_data || session->following() ? setup.data_dir : "", setup.dataset) {}

  std::unique_ptr<Session> session;  // first: the tabs hold it
  TrainTab train;
  ExploreTab explore;
  InsightPanel insight;
  ExplorerAnalysis analysis;
  std::unique_ptr<SessionImages> images;  // while the visualizer is attached
};

}  // namespace ganvas
