// The analysis threads: principal directions and D's grid scores, off the render thread.
#include "gan/viz/analysis_worker.h"

#include <exception>
#include <utility>

#include "gan/model/sampler.h"

namespace ganvas {
namespace {

// A computation that fails answers with `fallback` (nothing found), so the request is not made
// again and again.
template <class Compute, class Result>
Result guarded(const Compute& compute, Result fallback) {
  try {
    return compute();
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

AnalysisWorker::AnalysisWorker(int directions)
    : directions_([directions](const DirectionsRequest& request) {
        return guarded([&] { return compute(request, directions); },
                       Directions{{}, request.around, request.snapshot->step});
      }),
      scores_([](const ScoresRequest& request) {
        return guarded([&] { return compute(request); }, Scores{{}, request.snapshot->version, request.grid});
      }) {}

void AnalysisWorker::request_directions(std::shared_ptr<const LiveSnapshot> snapshot, Latent around) {
  directions_.request(DirectionsRequest{std::move(snapshot), std::move(around)});
}

void AnalysisWorker::request_scores(std::shared_ptr<const LiveSnapshot> snapshot, std::vector<float> grid_latents,
                                    uint64_t grid) {
  scores_.request(ScoresRequest{std::move(snapshot), std::move(grid_latents), grid});
}

AnalysisWorker::Directions AnalysisWorker::compute(const DirectionsRequest& request, int count) {
  const LiveSnapshot& snapshot = *request.snapshot;
  return Directions{principal_directions(snapshot.shape, snapshot.generator, request.around, count), request.around,
                    snapshot.step};
}

AnalysisWorker::Scores AnalysisWorker::compute(const ScoresRequest& request) {
  const LiveSnapshot& snapshot = *request.snapshot;
  const ModelShape& shape = snapshot.shape;
  const int cells = static_cast<int>(request.latents.size() / static_cast<size_t>(shape.latent()));
  const std::vector<float> images = generate_images(shape, snapshot.generator, request.latents, cells);
  return Scores{discriminator_scores(shape, snapshot.discriminator, images, cells,
                                     latent_conditions(shape, request.latents, cells)),
                snapshot.version, request.grid};
}

}  // namespace ganvas
