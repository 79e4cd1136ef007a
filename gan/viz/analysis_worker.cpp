// The analysis thread: principal directions and D's grid scores, off the render thread.
#include "gan/viz/analysis_worker.h"

#include <exception>
#include <utility>

#include "gan/sampler.h"

namespace ganvas {
namespace {

template <class Compute, class Result>
Result guarded(const Compute& compute, Result fallback) {
  try {
    return compute();
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

AnalysisWorker::AnalysisWorker(int directions) : directions_(directions), worker_([this] { run(); }) {}

AnalysisWorker::~AnalysisWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void AnalysisWorker::request_directions(std::shared_ptr<const LiveSnapshot> snapshot, Latent around) {
  {
    std::lock_guard lock(mutex_);
    directions_request_ = DirectionsRequest{std::move(snapshot), std::move(around)};
  }
  wake_.notify_all();
}

void AnalysisWorker::request_scores(std::shared_ptr<const LiveSnapshot> snapshot, std::vector<float> grid_latents,
                                    uint64_t grid) {
  {
    std::lock_guard lock(mutex_);
    scores_request_ = ScoresRequest{std::move(snapshot), std::move(grid_latents), grid};
  }
  wake_.notify_all();
}

std::optional<AnalysisWorker::Directions> AnalysisWorker::take_directions() {
  std::lock_guard lock(mutex_);
  return std::exchange(directions_result_, std::nullopt);
}

std::optional<AnalysisWorker::Scores> AnalysisWorker::take_scores() {
  std::lock_guard lock(mutex_);
  return std::exchange(scores_result_, std::nullopt);
}

bool AnalysisWorker::directions_pending() const {
  std::lock_guard lock(mutex_);
  return directions_request_.has_value() || computing_directions_;
}

bool AnalysisWorker::scores_pending() const {
  std::lock_guard lock(mutex_);
  return scores_request_.has_value() || computing_scores_;
}

void AnalysisWorker::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return !busy_ && !directions_request_ && !scores_request_; });
}

AnalysisWorker::Directions AnalysisWorker::compute(const DirectionsRequest& request) const {
  const LiveSnapshot& snapshot = *request.snapshot;
  return Directions{principal_directions(snapshot.shape, snapshot.generator, request.around, directions_),
                    request.around, snapshot.step};
}

AnalysisWorker::Scores AnalysisWorker::compute(const ScoresRequest& request) {
  const LiveSnapshot& snapshot = *request.snapshot;
  const int cells = static_cast<int>(request.latents.size() / static_cast<size_t>(snapshot.shape.noise));
  const std::vector<float> images = generate_images(snapshot.shape, snapshot.generator, request.latents, cells);
  return Scores{discriminator_scores(snapshot.shape, snapshot.discriminator, images, cells), snapshot.version,
                request.grid};
}

void AnalysisWorker::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    busy_ = false;
    idle_.notify_all();
    wake_.wait(lock, [this] { return stop_ || directions_request_ || scores_request_; });
    if (stop_) return;
    busy_ = true;
    std::optional<ScoresRequest> scores = std::exchange(scores_request_, std::nullopt);
    std::optional<DirectionsRequest> directions = std::exchange(directions_request_, std::nullopt);
    computing_scores_ = scores.has_value();
    computing_directions_ = directions.has_value();
    lock.unlock();
    // Scores first: they answer a tooltip the user is looking at. A computation that fails answers
    // with nothing, so the request is not made again and again.
    std::optional<Scores> scored;
    std::optional<Directions> found;
    if (scores) scored = guarded([&] { return compute(*scores); }, Scores{{}, scores->snapshot->version, scores->grid});
    if (directions) {
      found = guarded([&] { return compute(*directions); }, Directions{{}, directions->around, directions->snapshot->step});
    }
    lock.lock();
    if (scored) scores_result_ = std::move(scored);
    if (found) directions_result_ = std::move(found);
    computing_scores_ = computing_directions_ = false;
  }
}

}  // namespace ganvas
