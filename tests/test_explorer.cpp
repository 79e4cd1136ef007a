// The latent explorer alone (anchors, path, strip, point, directions, motion) and the analysis
// thread that computes directions and D's scores off the render thread.
#include <gtest/gtest.h>

#include <cmath>

#include "gan/io/checkpoint.h"
#include "gan/model/sampler.h"
#include "gan/io/bundled_checkpoint.h"
#include "gan/viz/analysis_worker.h"
#include "gan/model/explorer.h"
#include "tests/test_support.h"

namespace ganvas {
namespace {

constexpr int kNoise = 100;

std::vector<float> grid_latents() { return sample_latents(5, 36, kNoise); }

LatentDirection unit_direction(size_t axis) {
  LatentDirection direction;
  direction.direction.assign(kNoise, 0.0f);
  direction.direction[axis] = 1.0f;
  direction.strength = 1.0f;
  return direction;
}

TEST(Explorer, StartsHalfwayBetweenTheFirstTwoGridLatents) {
  const std::vector<float> grid = grid_latents();
  const LatentExplorer explorer(grid, kNoise, 8);
  const Latent a(grid.begin(), grid.begin() + kNoise), b(grid.begin() + kNoise, grid.begin() + 2 * kNoise);
  EXPECT_EQ(explorer.anchor(0), a);
  EXPECT_EQ(explorer.anchor(1), b);
  EXPECT_EQ(explorer.anchor_cell(0), 0);
  EXPECT_EQ(explorer.anchor_cell(1), 1);
  EXPECT_FLOAT_EQ(explorer.t(), 0.5f);
  EXPECT_EQ(explorer.point(), slerp(a, b, 0.5f));
}

TEST(Explorer, TheStripRunsFromAToBAndTMovesThePointAlongThePath) {
  LatentExplorer explorer(grid_latents(), kNoise, 5);
  const std::vector<float> strip = explorer.strip_latents();
  ASSERT_EQ(strip.size(), 5u * kNoise);
  EXPECT_EQ(Latent(strip.begin(), strip.begin() + kNoise), explorer.anchor(0));
  EXPECT_EQ(Latent(strip.end() - kNoise, strip.end()), explorer.anchor(1));
  const uint64_t before = explorer.revision();
  explorer.set_t(0.25f);
  EXPECT_GT(explorer.revision(), before) << "the images must be drawn again";
  EXPECT_EQ(explorer.point(), slerp(explorer.anchor(0), explorer.anchor(1), 0.25f));
  explorer.set_spherical(false);
  EXPECT_EQ(explorer.point(), lerp(explorer.anchor(0), explorer.anchor(1), 0.25f));
  explorer.set_t(7.0f);
  EXPECT_FLOAT_EQ(explorer.t(), 1.0f) << "t stays on the path";
}

TEST(Explorer, DirectionAmountsMoveThePointFromItsBase) {
  LatentExplorer explorer(grid_latents(), kNoise, 8);
  const Latent base = explorer.base();
  explorer.set_directions({unit_direction(3), unit_direction(7)}, base, 10, 0.0);
  explorer.set_amount(0, 0.5f);
  explorer.set_amount(1, -0.25f);
  EXPECT_FLOAT_EQ(explorer.point()[3], base[3] + 0.5f);
  EXPECT_FLOAT_EQ(explorer.point()[7], base[7] - 0.25f);
  EXPECT_EQ(explorer.base(), base) << "the base stays where it was";
  explorer.rebase_at_point();
  EXPECT_FLOAT_EQ(explorer.base()[3], base[3] + 0.5f);
  EXPECT_TRUE(explorer.amounts_at_rest());
  explorer.reset_point();
  EXPECT_EQ(explorer.point(), explorer.path_point(explorer.t())) << "back on the path";
}

TEST(Explorer, DirectionsForABaseThatMovedOnAreIgnored) {
  LatentExplorer explorer(grid_latents(), kNoise, 8);
  const Latent old_base = explorer.base();
  explorer.set_t(0.9f);
  explorer.set_directions({unit_direction(1)}, old_base, 3, 0.0);
  EXPECT_TRUE(explorer.directions().empty());
  EXPECT_TRUE(explorer.wants_directions(3, 0.0)) << "still none for the base where the point is";
}

TEST(Explorer, DirectionsAreWantedForANewBaseOrOldWeightsOnly) {
  LatentExplorer explorer(grid_latents(), kNoise, 8);
  EXPECT_TRUE(explorer.wants_directions(0, 0.0));
  explorer.set_directions({unit_direction(1)}, explorer.base(), 100, 10.0);
  EXPECT_FALSE(explorer.wants_directions(100, 20.0)) << "same weights";
  EXPECT_FALSE(explorer.wants_directions(200, 11.0)) << "newer weights, but within 2 s";
  EXPECT_TRUE(explorer.wants_directions(200, 12.5));
  explorer.set_amount(0, 1.0f);
  EXPECT_FALSE(explorer.wants_directions(200, 12.5)) << "not while the user holds the point off its base";
  explorer.set_animating(true);
  explorer.set_t(0.2f);
  EXPECT_FALSE(explorer.wants_directions(200, 12.5)) << "not while the point moves every frame";
}

TEST(Explorer, WalkingOnMakesBTheNextA) {
  LatentExplorer explorer(grid_latents(), kNoise, 8);
  const Latent b = explorer.anchor(1);
  explorer.walk_on(0.9);  // t: 0.5 + 0.45
  EXPECT_NEAR(explorer.t(), 0.95f, 1e-6f);
  explorer.walk_on(0.2);  // past B
  EXPECT_EQ(explorer.anchor(0), b);
  EXPECT_NE(explorer.anchor(1), b);
  EXPECT_EQ(explorer.anchor_cell(0), -1);
  EXPECT_NEAR(explorer.t(), 0.05f, 1e-5f);
}

TEST(Explorer, TheRandomWalkMovesThePointAndKeepsItInTheNoiseRange) {
  LatentExplorer explorer(grid_latents(), kNoise, 8);
  explorer.set_random_walking(true);
  explorer.set_walk_speed(3.0f);
  const Latent start = explorer.point();
  for (uint64_t frame = 0; frame < 300; ++frame) explorer.advance(1.0 / 30, frame);
  EXPECT_NE(explorer.point(), start);
  for (float v : explorer.point()) EXPECT_LE(std::fabs(v), 1.0f);
}

TEST(AnalysisWorker, ComputesWhatTheCallsWouldOnAnotherThread) {
  const GanState state = initial_state(ModelShape{}, 4);
  auto snapshot = std::make_shared<LiveSnapshot>();
  snapshot->version = 9;
  snapshot->step = 42;
  snapshot->shape = state.shape;
  snapshot->generator = state.generator.params;
  snapshot->discriminator = state.discriminator.params;
  const std::vector<float> latents = sample_latents(2, 4, state.shape.noise);
  const Latent around(latents.begin(), latents.begin() + state.shape.noise);

  AnalysisWorker worker(3);
  worker.request_scores(snapshot, latents, 5);
  worker.request_directions(snapshot, around);
  worker.wait_idle();
  const std::optional<AnalysisWorker::Scores> scores = worker.take_scores();
  ASSERT_TRUE(scores);
  EXPECT_EQ(scores->version, 9u);
  EXPECT_EQ(scores->grid, 5u);
  const std::vector<float> images = generate_images(state, latents, 4);
  EXPECT_EQ(scores->scores, discriminator_scores(state.shape, state.discriminator.params, images, 4));
  const std::optional<AnalysisWorker::Directions> directions = worker.take_directions();
  ASSERT_TRUE(directions);
  EXPECT_EQ(directions->step, 42u);
  EXPECT_EQ(directions->around, around);
  const std::vector<LatentDirection> expected = principal_directions(state, around, 3);
  ASSERT_EQ(directions->directions.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(directions->directions[i].direction, expected[i].direction);
  EXPECT_FALSE(worker.take_scores()) << "a result is taken once";
  EXPECT_FALSE(worker.directions_pending());
}

TEST(BundledCheckpoint, IsTheShippedAssetBuiltIntoTheBinary) {
  const GanState built_in = bundled_checkpoint();
  const GanState asset = load_checkpoint(test::assets_path("mnist-gan-20k.safetensors"));
  EXPECT_EQ(built_in.step, asset.step);
  EXPECT_EQ(built_in.generator.params, asset.generator.params);
  EXPECT_EQ(built_in.discriminator.params, asset.discriminator.params);
}

}  // namespace
}  // namespace ganvas
