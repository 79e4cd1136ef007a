// The CUDA layers' tiled products (gan/cuda/tiled_product.h), run on the CPU through the same phases
// the GPU runs: every output equals its sum over k taken in order, with the layer's bias, activation
// or derivative, for the forward pass, the input gradient and the weight gradient, at odd sizes,
// strided rows and the tutorial's shapes.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "gan/cuda/tiled_product.h"
#include "gan/gan_math.h"

namespace ganvas::cuda {
namespace {

std::vector<float> random_values(size_t count, unsigned seed, float low = -1.0f, float high = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(low, high);
  std::vector<float> values(count);
  for (float& v : values) v = uniform(rng);
  return values;
}

// The sum over k of a(k) * b(k) as one thread takes it: in order, one fused multiply-add at a time.
template <class A, class B>
float ordered_sum(int k, A a, B b) {
  float sum = 0.0f;
  for (int i = 0; i < k; ++i) sum = fmaf(a(i), b(i), sum);
  return sum;
}

float forward_expected(Epilogue epilogue, Activation activation, float sum, const float* bias, int j) {
  const float biased = bias != nullptr ? sum + bias[j] : sum;
  if (epilogue == Epilogue::kActivate) return activate(activation, biased);
  if (epilogue == Epilogue::kSigmoid) return sigmoid(biased);
  return biased;
}

// y [rows, out] = epilogue(x W^T + b), x's rows x_stride apart.
void check_forward(int rows, int in, int out, int x_stride, Epilogue epilogue, Activation activation, bool with_bias) {
  const std::vector<float> x = random_values(static_cast<size_t>(rows) * x_stride, 1);
  const std::vector<float> w = random_values(static_cast<size_t>(out) * in, 2, -0.2f, 0.2f);
  const std::vector<float> b = random_values(out, 3);
  std::vector<float> y(static_cast<size_t>(rows) * out, -7.0f);
  const float* bias = with_bias ? b.data() : nullptr;
  run_tiled_product_on_host(forward_product(x.data(), rows, in, x_stride, w.data(), bias, out, y.data(), epilogue,
                                            activation));
  for (int r = 0; r < rows; ++r) {
    for (int o = 0; o < out; ++o) {
      const float sum = ordered_sum(in, [&](int k) { return x[r * x_stride + k]; }, [&](int k) { return w[o * in + k]; });
      ASSERT_EQ(y[r * out + o], forward_expected(epilogue, activation, sum, bias, o)) << "row " << r << ", unit " << o;
    }
  }
}

TEST(TiledProduct, TheForwardPassIsTheLayerWithItsBiasAndActivation) {
  check_forward(37, 70, 45, 73, Epilogue::kPlain, Activation::kRelu, false);
  check_forward(37, 70, 45, 70, Epilogue::kPlain, Activation::kRelu, true);
  check_forward(64, 32, 32, 40, Epilogue::kActivate, Activation::kRelu, true);
  check_forward(5, 100, 33, 100, Epilogue::kActivate, Activation::kLeakyRelu, true);
  check_forward(33, 31, 47, 31, Epilogue::kSigmoid, Activation::kRelu, true);
}

TEST(TiledProduct, TheTutorialsLayersAtBatch128) {
  check_forward(128, 100, 256, 100, Epilogue::kActivate, Activation::kRelu, true);  // G's hidden layer
  check_forward(128, 256, 784, 256, Epilogue::kSigmoid, Activation::kRelu, true);   // G's images
  check_forward(256, 784, 256, 784, Epilogue::kActivate, Activation::kRelu, true);  // D's hidden layer
}

// dx [rows, columns] = epilogue(dy W) over W's first `columns` columns, W's rows w_stride apart.
void check_input_grad(int rows, int out, int columns, int w_stride, Epilogue epilogue, Activation activation) {
  const std::vector<float> dy = random_values(static_cast<size_t>(rows) * out, 4);
  const std::vector<float> w = random_values(static_cast<size_t>(out) * w_stride, 5);
  // What a backward epilogue differentiates: activations (some zero, some negative) or sigmoid outputs.
  std::vector<float> output = random_values(static_cast<size_t>(rows) * columns, 6, -0.5f, 1.0f);
  for (size_t i = 0; i < output.size(); i += 7) output[i] = 0.0f;
  if (epilogue == Epilogue::kSigmoidBackward) output = random_values(output.size(), 7, 0.0f, 1.0f);
  std::vector<float> dx(static_cast<size_t>(rows) * columns, -7.0f);
  run_tiled_product_on_host(input_grad_product(dy.data(), rows, out, w.data(), columns, w_stride, dx.data(), epilogue,
                                               activation, output.data()));
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      const float sum =
          ordered_sum(out, [&](int o) { return dy[r * out + o]; }, [&](int o) { return w[o * w_stride + c]; });
      const float s = output[r * columns + c];
      float expected = sum;
      if (epilogue == Epilogue::kActivateBackward) expected = activate_backward(activation, s, sum);
      if (epilogue == Epilogue::kSigmoidBackward) expected = sigmoid_backward(s, sum);
      ASSERT_EQ(dx[r * columns + c], expected) << "row " << r << ", column " << c;
    }
  }
}

TEST(TiledProduct, TheInputGradientGoesBackThroughTheWeightsAndTheActivation) {
  check_input_grad(33, 40, 50, 50, Epilogue::kPlain, Activation::kRelu);
  check_input_grad(33, 40, 50, 57, Epilogue::kPlain, Activation::kRelu);  // a conditional D's image columns
  check_input_grad(64, 256, 64, 64, Epilogue::kActivateBackward, Activation::kRelu);
  check_input_grad(20, 35, 70, 70, Epilogue::kActivateBackward, Activation::kLeakyRelu);
  check_input_grad(128, 256, 784, 794, Epilogue::kSigmoidBackward, Activation::kRelu);  // to G's images
}

// grad_w [out, in] = dy^T x and, when asked, bias_grad = dy's column sums.
void check_weight_grad(int rows, int in, int out, int x_stride, bool with_bias) {
  const std::vector<float> dy = random_values(static_cast<size_t>(rows) * out, 8);
  const std::vector<float> x = random_values(static_cast<size_t>(rows) * x_stride, 9);
  std::vector<float> grad_w(static_cast<size_t>(out) * in, -7.0f);
  std::vector<float> bias_grad(out, -7.0f);
  run_tiled_product_on_host(weight_grad_product(dy.data(), x.data(), rows, in, x_stride, out, grad_w.data(),
                                                with_bias ? bias_grad.data() : nullptr));
  for (int o = 0; o < out; ++o) {
    const auto dy_column = [&](int r) { return dy[r * out + o]; };
    for (int i = 0; i < in; ++i) {
      const float expected = ordered_sum(rows, dy_column, [&](int r) { return x[r * x_stride + i]; });
      ASSERT_EQ(grad_w[o * in + i], expected) << "unit " << o << ", input " << i;
    }
    const float column_sum = ordered_sum(rows, dy_column, [](int) { return 1.0f; });
    EXPECT_EQ(bias_grad[o], with_bias ? column_sum : -7.0f) << "unit " << o;
  }
}

TEST(TiledProduct, TheWeightGradientAndTheBiasGradientAsItsColumnOfOnes) {
  check_weight_grad(130, 64, 33, 69, true);  // 64 inputs: the column of ones takes a block of its own
  check_weight_grad(130, 50, 33, 50, false);
  check_weight_grad(7, 3, 90, 3, true);
  check_weight_grad(128, 256, 784, 256, true);  // G's output layer
}

TEST(TiledProduct, AnEmptyDepthLeavesTheBiasThroughTheEpilogue) {
  const std::vector<float> b = {-1.0f, 0.5f, 2.0f};
  std::vector<float> y(6, -7.0f);
  run_tiled_product_on_host(forward_product(nullptr, 2, 0, 0, nullptr, b.data(), 3, y.data(), Epilogue::kActivate,
                                            Activation::kRelu));
  EXPECT_EQ(y, (std::vector<float>{0.0f, 0.5f, 2.0f, 0.0f, 0.5f, 2.0f}));
}

}  // namespace
}  // namespace ganvas::cuda
