// The work behind the Insight tab, off the render thread: for the weights on screen, real against
// fake images with D's scores, D's landscape on the data's plane with both kinds of images on it,
// the gradient G's loss sends each grid image, and the network norms; and, every N steps, the
// quality scores (FID, Inception Score, digit coverage) charted over training.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gan/io/dataset.h"
#include "gan/eval/insight.h"
#include "gan/train/live_trainer.h"
#include "gan/eval/quality.h"
#include "gan/session/run_history.h"
#include "gan/viz/latest_job.h"

namespace ganvas {

// The gradient G's loss sends each grid image, and the largest of it: the overlay's pixels and scale.
struct GridGradients {
  std::vector<float> pixels;  // [grid cells, image]: d(-log D(G(z))) / d image
  float largest = 0;          // the largest magnitude among them
};

struct InsightViews {
  uint64_t version = 0;  // the snapshot's
  uint64_t history = 0;  // the snapshot's
  uint64_t step = 0;
  std::vector<float> real_images, fake_images;  // [kStripImages, image] each
  std::vector<float> real_scores, fake_scores;  // D of each
  Landscape landscape;
  int landscape_digit = 0;  // the digit a conditional D judged the landscape and its points as
  std::vector<std::array<float, 2>> real_points, fake_points;  // on the plane, in spreads (a / spread1, b / spread2)
  std::vector<float> real_point_scores, fake_point_scores;     // D's score of each point's own image
  GridGradients grid_gradients;
  StepExplained explained;  // a step at these weights on a batch, stage by stage (norms from it too)
};

class InsightWorker {
 public:
  static constexpr int kStripImages = 8;
  static constexpr int kPoints = 200;          // of each kind on the landscape
  static constexpr int kLandscapeSide = 40;
  static constexpr float kLandscapeReach = 3;  // spreads from the mean
  static constexpr int kQualitySamples = 1000;

  // The data is read on the workers' threads, when first needed.
  InsightWorker(std::string data_dir, DatasetKind kind);

  // `landscape_digit`: the digit a conditional model's landscape is drawn for.
  void request_views(std::shared_ptr<const LiveSnapshot> snapshot, std::vector<float> grid_latents,
                     int landscape_digit = 0);
  void request_quality(std::shared_ptr<const LiveSnapshot> snapshot);
  std::optional<InsightViews> take_views() { return views_.take(); }
  std::optional<QualityPoint> take_quality() { return quality_.take(); }
  bool views_pending() const { return views_.pending(); }
  bool quality_pending() const { return quality_.pending(); }
  // Why views or scores could not be computed (no data, not MNIST), once; "" when they could.
  std::string take_views_error() { return views_.take_error(); }
  std::string take_quality_error() { return quality_.take_error(); }
  void wait_idle() {
    views_.wait_idle();
    quality_.wait_idle();
  }

 private:
  struct ViewsRequest {
    std::shared_ptr<const LiveSnapshot> snapshot;
    std::vector<float> grid_latents;
    int landscape_digit = 0;
  };
  struct RealData {
    ImageSet images;  // training images kept for the strip, the points and the gradient batch
    DataPlane plane;
  };
  InsightViews compute_views(const ViewsRequest& request);
  void add_landscape(const LiveSnapshot& s, const RealData& real, uint64_t rotation, int digit, InsightViews& views);
  QualityPoint compute_quality(const std::shared_ptr<const LiveSnapshot>& snapshot);
  const RealData& real_data();  // views thread only

  const std::string data_dir_;
  const DatasetKind kind_;
  std::unique_ptr<RealData> real_;         // views thread only
  std::unique_ptr<Backend> explain_backend_;  // views thread only: the explained step's, for explain_shape_
  ModelShape explain_shape_;
  std::unique_ptr<QualityJudge> judge_;    // quality thread only
  LatestJob<ViewsRequest, InsightViews> views_;
  LatestJob<std::shared_ptr<const LiveSnapshot>, QualityPoint> quality_;
};

}  // namespace ganvas
