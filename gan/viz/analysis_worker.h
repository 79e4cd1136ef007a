// Work a frame must never wait for, on a thread of its own: the principal directions around the
// explorer's base and D's scores of the grid's images. Each kind keeps only its latest request (a
// newer one replaces one not yet started); the render thread picks results up when they are ready.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "gan/latent.h"
#include "gan/live_trainer.h"

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
  ~AnalysisWorker();
  AnalysisWorker(const AnalysisWorker&) = delete;
  AnalysisWorker& operator=(const AnalysisWorker&) = delete;

  void request_directions(std::shared_ptr<const LiveSnapshot> snapshot, Latent around);
  void request_scores(std::shared_ptr<const LiveSnapshot> snapshot, std::vector<float> grid_latents, uint64_t grid);
  // A finished result, once: empty while none is ready.
  std::optional<Directions> take_directions();
  std::optional<Scores> take_scores();
  // Whether a request of that kind is queued or running.
  bool directions_pending() const;
  bool scores_pending() const;
  // Blocks until nothing is queued or running (tests, offline recordings).
  void wait_idle();

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
  void run();
  Directions compute(const DirectionsRequest& request) const;
  static Scores compute(const ScoresRequest& request);

  const int directions_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  bool stop_ = false;
  bool busy_ = false;
  std::optional<DirectionsRequest> directions_request_;
  std::optional<ScoresRequest> scores_request_;
  std::optional<Directions> directions_result_;
  std::optional<Scores> scores_result_;
  bool computing_directions_ = false, computing_scores_ = false;
  std::thread worker_;
};

}  // namespace ganvas
