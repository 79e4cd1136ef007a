// The shared element-wise math and random numbers: known answers, derivatives, hand-computed Adam.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "gan/math/gan_math.h"
#include "gan/math/philox.h"

namespace ganvas {
namespace {

// Known-answer vectors of Philox4x32-10 published with Random123 (kat_vectors).
TEST(Philox, MatchesPublishedKnownAnswers) {
  struct Kat {
    Philox4x32 counter;
    uint32_t key0, key1;
    Philox4x32 expected;
  };
  const Kat kats[] = {
      {{{0, 0, 0, 0}}, 0, 0, {{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}}, 0xffffffff, 0xffffffff,
       {{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}}, 0xa4093822, 0x299f31d0,
       {{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}}},
  };
  for (const Kat& kat : kats) {
    const Philox4x32 out = philox4x32_10(kat.counter, kat.key0, kat.key1);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(out.v[i], kat.expected.v[i]) << "word " << i;
  }
}

TEST(Philox, NoiseIsUniformInMinusOneToOne) {
  double sum = 0, sum_sq = 0;
  const int n = 200000;
  float lo = 1, hi = -1;
  for (int i = 0; i < n; ++i) {
    const float z = noise_value(7, 3, RngStream::kNoise, i);
    lo = std::min(lo, z);
    hi = std::max(hi, z);
    sum += z;
    sum_sq += double(z) * z;
  }
  EXPECT_GE(lo, -1.0f);
  EXPECT_LT(hi, 1.0f);
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sum_sq / n, 1.0 / 3.0, 0.01);  // variance of U(-1, 1)
  EXPECT_NE(noise_value(7, 3, RngStream::kNoise, 0), noise_value(7, 4, RngStream::kNoise, 0));
  EXPECT_NE(noise_value(7, 3, RngStream::kNoise, 0), noise_value(8, 3, RngStream::kNoise, 0));
}

TEST(Philox, ShuffleIsAPermutationThatChangesEachEpoch) {
  const uint32_t n = 55000;
  std::vector<int> seen(n, 0);
  int fixed_points_between_epochs = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t j = shuffled_index(1, 0, i, n);
    ASSERT_LT(j, n);
    ++seen[j];
    fixed_points_between_epochs += j == shuffled_index(1, 1, i, n);
  }
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](int c) { return c == 1; }));
  EXPECT_LT(fixed_points_between_epochs, 20);
}

TEST(Philox, BatchesWalkThroughAnEpochWithoutRepeats) {
  const uint32_t n = 1000, batch = 128;
  std::vector<int> seen(n, 0);
  // Steps 0..6 cover positions 0..895 of epoch 0.
  for (uint64_t step = 0; step < 7; ++step) {
    for (uint32_t r = 0; r < batch; ++r) ++seen[batch_image_index(5, step, r, batch, n)];
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 1), 896);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), 0), 104);
}

// Central difference in double precision.
template <class F>
double numeric_derivative(F f, double x) {
  const double h = 1e-6;
  return (f(x + h) - f(x - h)) / (2 * h);
}

TEST(ElementwiseMath, LossGradientsMatchFiniteDifferences) {
  for (double x : {-8.0, -2.5, -0.3, 0.0, 0.7, 3.0, 9.0}) {
    EXPECT_NEAR(loss_real_grad(x), numeric_derivative([](double v) { return loss_real(v); }, x), 1e-8) << x;
    EXPECT_NEAR(loss_fake_grad(x), numeric_derivative([](double v) { return loss_fake(v); }, x), 1e-8) << x;
    EXPECT_NEAR(sigmoid_backward(sigmoid(x), 1.0), numeric_derivative([](double v) { return sigmoid(v); }, x), 1e-8);
  }
  EXPECT_EQ(relu_backward(0.5, 2.0), 2.0);
  EXPECT_EQ(relu_backward(0.0, 2.0), 0.0);
}

TEST(ElementwiseMath, LogSigmoidLossesAreStableAtExtremes) {
  // -log(sigmoid(-200)) = 200 exactly enough; a naive log(sigmoid(x)) would give inf.
  EXPECT_NEAR(loss_real(-200.0f), 200.0f, 1e-3f);
  EXPECT_NEAR(loss_fake(200.0f), 200.0f, 1e-3f);
  EXPECT_NEAR(loss_real(200.0f), 0.0f, 1e-30f);
  EXPECT_TRUE(std::isfinite(loss_real(-1e30f)));
  EXPECT_FLOAT_EQ(sigmoid(-1e30f), 0.0f);
  EXPECT_FLOAT_EQ(sigmoid(1e30f), 1.0f);
  EXPECT_NEAR(loss_real(0.0), std::log(2.0), 1e-15);
}

TEST(Adam, FirstTwoStepsMatchHandComputedValues) {
  // Step 1 with g = 0.5 from p = 1:
  //   m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025
  //   lr_t = 2e-4 * sqrt(1 - 0.999) / (1 - 0.9) = 2e-4 * 0.0316228 / 0.1 = 6.32456e-5
  //   p = 1 - 6.32456e-5 * 0.05 / (0.0158114 + 1e-8) = 1 - 1.99999874e-4 = 0.99980000013
  // Step 2 with g = -1:
  //   m = 0.05 + (-1 - 0.05) * 0.1 = -0.055, v = 0.00025 + (1 - 0.00025) * 0.001 = 0.00124975
  //   lr_t = 2e-4 * sqrt(1 - 0.998001) / (1 - 0.81) = 2e-4 * 0.0447102 / 0.19 = 4.70634e-5
  //   p = 0.99980000013 + 4.70634e-5 * 0.055 / 0.0353518 = 0.99987322
  // Tolerances allow for float32: 1 - 0.999f is 0.00099999 with a relative error of 1.3e-5.
  AdamConfig config;
  AdamPowers powers;
  float p = 1.0f, m = 0.0f, v = 0.0f;
  powers = adam_next_powers(powers, config);
  EXPECT_NEAR(adam_step_size(config, powers), 6.32456e-5f, 1e-4f * 6.32456e-5f);
  adam_update(p, m, v, 0.5f, adam_step_size(config, powers), config);
  EXPECT_NEAR(m, 0.05f, 1e-4f * 0.05f);
  EXPECT_NEAR(v, 0.00025f, 1e-4f * 0.00025f);
  EXPECT_NEAR(p, 0.99980000013f, 1e-7f);
  powers = adam_next_powers(powers, config);
  EXPECT_EQ(powers.t, 2);
  adam_update(p, m, v, -1.0f, adam_step_size(config, powers), config);
  EXPECT_NEAR(m, -0.055f, 1e-4f * 0.055f);
  EXPECT_NEAR(v, 0.00124975f, 1e-4f * 0.00124975f);
  EXPECT_NEAR(p, 0.99987322f, 1e-7f);
}

}  // namespace
}  // namespace ganvas
