// Work a frame must never wait for, on threads of their own: the principal directions around the
// explorer's base and D's scores of the grid's images. Each kind keeps only its latest request (a
// newer one replaces one not yet started); the render thread picks results up when they are ready.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "gan/model/latent.h"
#include "gan/train/live_trainer.h"
#include "gan/viz/latest_job.h"

namespace ganvas {

class AnalysisWorker {
 public:
  struct Directions {
    std::vector<LatentDirection> directions;
    Latent around;      // the base they were computed at
    uint64_t step = 0;  // the weights' step
  };
  struct Scores {
    std::vector<float> scores;  // D(G(z)) of each grid cell
    uint64_t version = 0;       // the snapshot's version
    uint64_t grid = 0;          // which grid latents (the caller's count)
  };

  explicit AnalysisWorker(int directions);

  void request_directions(std::shared_ptr<const LiveSnapshot> snapshot, Latent around);
  void request_scores(std::shared_ptr<const LiveSnapshot> snapshot, std::vector<float> grid_latents, uint64_t grid);
  // A finished result, once: empty while none is ready.
  std::optional<Directions> take_directions() { return directions_.take(); }
  std::optional<Scores> take_scores() { return scores_.take(); }
  // Whether a request of that kind is queued or running.
  bool directions_pending() const { return directions_.pending(); }
  bool scores_pending() const { return scores_.pending(); }
  // Blocks until nothing is queued or running (tests, offline recordings).
  void wait_idle() {
    directions_.wait_idle();
    scores_.wait_idle();
  }

 private:
  struct DirectionsRequest {
    std::shared_ptr<const LiveSnapshot> snapshot;
    Latent around;
  };
  struct ScoresRequest {
    std::shared_ptr<const LiveSnapshot> snapshot;
    std::vector<float> latents;
    uint64_t grid = 0;
  };
  static Directions compute(const DirectionsRequest& request, int count);
  static Scores compute(const ScoresRequest& request);

  LatestJob<DirectionsRequest, Directions> directions_;
  LatestJob<ScoresRequest, Scores> scores_;
};

}  // namespace ganvas
