// Compared runs: followed, sampled from the shown run's latents, charted.
#include "gan/viz/comparison.h"

#include <imgui.h>

#include <filesystem>

#include "common/error.h"
#include "common/printable.h"

namespace ganvas {
namespace {

constexpr double kLookInterval = 0.25;  // seconds between looks at the runs' checkpoints
constexpr uint32_t kColours[Comparison::kMostRuns] = {IM_COL32(255, 150, 60, 255), IM_COL32(120, 220, 120, 255),
                                                       IM_COL32(230, 110, 200, 255)};

}  // namespace

void Comparison::add(const std::string& dir, const SessionConfig& base) {
  GANVAS_CHECK(runs_.size() < kMostRuns, "at most " + std::to_string(kMostRuns) + " runs are compared with the one shown");
  for (const auto& run : runs_) {
    GANVAS_CHECK(run->session->run_dir() != dir, shown_path(dir) + " is compared already");
  }
  SessionConfig config = base;
  config.trainer.checkpoint.clear();
  config.run_dir = dir;
  config.follow = true;
  auto run = std::make_unique<ComparedRun>();
  run->name = std::filesystem::path(dir).filename().string();
  run->colour = kColours[runs_.size()];
  run->session = std::make_unique<Session>(config);
  take_charts(*run);
  runs_.push_back(std::move(run));
}

void Comparison::update(const Session& shown, double time) {
  const bool look = time - last_look_ >= kLookInterval;
  if (look) last_look_ = time;
  for (const auto& run : runs_) {
    Session& session = *run->session;
    if (look && session.follow_run()) take_charts(*run);
    session.refresh();
    session.show_grid_of(shown);
    const uint64_t step = session.snapshot().step;
    if (run->rate_time < 0 || step < run->rate_step) {
      run->rate_step = step;
      run->rate_time = time;
    } else if (step > run->rate_step && time > run->rate_time) {
      run->rate = static_cast<double>(step - run->rate_step) / (time - run->rate_time);
      run->rate_step = step;
      run->rate_time = time;
    }
  }
}

void Comparison::refresh_images(int grid) {
  for (const auto& run : runs_) {
    if (!run->images) run->images = std::make_unique<SessionImages>(*run->session, grid, false);
    run->images->refresh(*run->session);
  }
}

void Comparison::take_charts(ComparedRun& run) {
  run.losses = run.session->trainer().history();
  run.quality_steps.clear();
  run.fid.clear();
  run.bits.clear();
  for (const QualityPoint& p : run.session->history().quality()) {
    run.quality_steps.push_back(static_cast<float>(p.step));
    run.fid.push_back(static_cast<float>(p.scores.fid));
    run.bits.push_back(static_cast<float>(p.scores.coverage.entropy_bits));
  }
}

std::vector<ChartLine> Comparison::quality_lines(std::vector<float> ComparedRun::*series) const {
  std::vector<ChartLine> lines;
  for (const auto& run : runs_) lines.push_back({&run->quality_steps, &(run.get()->*series), run->colour, run->name});
  return lines;
}

std::vector<ChartLine> Comparison::lines(std::vector<float> MetricsHistory::*series) const {
  std::vector<ChartLine> lines;
  for (const auto& run : runs_) lines.push_back({&run->losses.step, &(run->losses.*series), run->colour, run->name});
  return lines;
}

}  // namespace ganvas
