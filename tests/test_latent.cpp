// Latent math: interpolation endpoints, norms and linearity; principal directions orthonormal and
// truly the generator's strongest.
#include <gtest/gtest.h>

#include <cmath>

#include "gan/model/latent.h"
#include "gan/model/sampler.h"

namespace ganvas {
namespace {

double norm(const Latent& v) {
  double s = 0;
  for (float x : v) s += double(x) * x;
  return std::sqrt(s);
}

double dot(const Latent& a, const Latent& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
  return s;
}

TEST(Latent, SlerpHitsEndpointsAndInterpolatesNorms) {
  const Latent a = sample_latents(1, 1, 100), b = sample_latents(2, 1, 100);
  const Latent start = slerp(a, b, 0), end = slerp(a, b, 1);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(start[i], a[i], 1e-5);
    EXPECT_NEAR(end[i], b[i], 1e-5);
  }
  for (float t : {0.25f, 0.5f, 0.8f}) {
    EXPECT_NEAR(norm(slerp(a, b, t)), (1 - t) * norm(a) + t * norm(b), 1e-4);
  }
  // Constant angular speed: equal steps of t sweep equal angles.
  const Latent q1 = slerp(a, b, 0.25f), q2 = slerp(a, b, 0.5f);
  EXPECT_NEAR(dot(a, q1) / (norm(a) * norm(q1)), dot(q1, q2) / (norm(q1) * norm(q2)), 1e-5);
  // Parallel inputs fall back to lerp instead of dividing by zero.
  Latent twice = a;
  for (float& x : twice) x *= 2;
  EXPECT_NEAR(norm(slerp(a, twice, 0.5f)), 1.5 * norm(a), 1e-4);
}

TEST(Latent, LerpIsLinear) {
  const Latent a = sample_latents(3, 1, 100), b = sample_latents(4, 1, 100);
  const Latent m = lerp(a, b, 0.3f);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(m[i], 0.7f * a[i] + 0.3f * b[i], 1e-6);
}

TEST(Latent, JacobiFindsKnownEigenpairs) {
  // diag(1, 5, 3) rotated in the (0, 1) plane by 30 degrees.
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  const std::vector<double> a = {c * c * 1 + s * s * 5, c * s * (5 - 1), 0, c * s * (5 - 1), s * s * 1 + c * c * 5, 0, 0, 0, 3};
  std::vector<std::vector<double>> vectors;
  std::vector<double> values;
  symmetric_eigen(a, 3, 3, vectors, values);
  EXPECT_NEAR(values[0], 5, 1e-9);
  EXPECT_NEAR(values[1], 3, 1e-9);
  EXPECT_NEAR(values[2], 1, 1e-9);
  EXPECT_NEAR(std::abs(vectors[0][0]), s, 1e-9);
  EXPECT_NEAR(std::abs(vectors[0][1]), c, 1e-9);
}

TEST(Latent, PrincipalDirectionsAreOrthonormalAndStrongest) {
  const GanState state = initial_state(ModelShape{}, 8);
  const Latent z = sample_latents(5, 1, 100);
  const auto directions = principal_directions(state, z, 5);
  ASSERT_EQ(directions.size(), 5u);
  for (size_t i = 0; i < directions.size(); ++i) {
    EXPECT_NEAR(norm(directions[i].direction), 1.0, 1e-5);
    for (size_t j = 0; j < i; ++j) EXPECT_NEAR(dot(directions[i].direction, directions[j].direction), 0.0, 1e-5);
    if (i > 0) {
      EXPECT_GE(directions[i - 1].strength, directions[i].strength);
    }
  }
  // A step along the strongest direction changes the image more than one along a random direction.
  const auto image_change = [&](const Latent& direction) {
    Latent moved = z;
    for (size_t i = 0; i < z.size(); ++i) moved[i] += 0.05f * direction[i];
    const auto a = generate_images(state, z, 1), b = generate_images(state, moved, 1);
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
    return std::sqrt(s);
  };
  Latent random = sample_latents(9, 1, 100);
  const double random_norm = norm(random);
  for (float& x : random) x = static_cast<float>(x / random_norm);
  EXPECT_GT(image_change(directions[0].direction), 1.5 * image_change(random));
  EXPECT_NEAR(image_change(directions[0].direction), 0.05 * directions[0].strength, 0.01 * directions[0].strength);
}

}  // namespace
}  // namespace ganvas
