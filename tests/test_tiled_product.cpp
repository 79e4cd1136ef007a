// The tiled products of the CUDA kernel variants (bench/cuda_variants/tiled_product.h), run on the
// CPU through the same phases the GPU runs: every output equals its sum over k taken in order, with
// the layer's bias, activation or derivative, for the forward pass, the input gradient and the weight
// gradient, at odd sizes, strided rows and the tutorial's shapes; and the backward passes built from
// them give the CPU backend's gradients.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "bench/cuda_variants/tiled_product.h"
#include "gan/model/cpu_ops.h"
#include "gan/math/gan_math.h"
#include "tests/test_support.h"

namespace ganvas::cuda_variants {
namespace {

using test::random_floats;

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
  const std::vector<float> x = random_floats(static_cast<size_t>(rows) * x_stride, 1);
  const std::vector<float> w = random_floats(static_cast<size_t>(out) * in, 2, -0.2f, 0.2f);
  const std::vector<float> b = random_floats(out, 3);
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
  const std::vector<float> dy = random_floats(static_cast<size_t>(rows) * out, 4);
  const std::vector<float> w = random_floats(static_cast<size_t>(out) * w_stride, 5);
  // What a backward epilogue differentiates: activations (some zero, some negative) or sigmoid outputs.
  std::vector<float> output = random_floats(static_cast<size_t>(rows) * columns, 6, -0.5f, 1.0f);
  for (size_t i = 0; i < output.size(); i += 7) output[i] = 0.0f;
  if (epilogue == Epilogue::kSigmoidBackward) output = random_floats(output.size(), 7, 0.0f, 1.0f);
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
  const std::vector<float> dy = random_floats(static_cast<size_t>(rows) * out, 8);
  const std::vector<float> x = random_floats(static_cast<size_t>(rows) * x_stride, 9);
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

// The largest difference over the largest magnitude of `want`.
double relative_difference(const float* got, const float* want, size_t count) {
  double difference = 0, scale = 1e-30;
  for (size_t i = 0; i < count; ++i) {
    difference = std::max(difference, std::fabs(double(got[i]) - double(want[i])));
    scale = std::max(scale, std::fabs(double(want[i])));
  }
  return difference / scale;
}

void run_on_host(const std::vector<TiledProduct>& products) {
  for (const TiledProduct& product : products) run_tiled_product_on_host(product);
}

// A network's hidden activations from a real forward pass on the CPU.
std::vector<float> hidden_activations(const MlpShape& s, const std::vector<float>& params, const std::vector<float>& x,
                                      int rows) {
  std::vector<float> hidden(s.hidden_values(rows));
  cpu::hidden_forward(s, params.data(), x.data(), rows, hidden.data());
  return hidden;
}

TEST(TiledProduct, BackThroughTwoHiddenLayersTheGradientsAreTheCpuBackends) {
  const MlpShape s{50, 40, 1, Activation::kLeakyRelu, 2};
  const int rows = 37;
  const std::vector<float> params = random_floats(s.size(), 10, -0.3f, 0.3f);
  const std::vector<float> x = random_floats(static_cast<size_t>(rows) * s.in, 11);
  const std::vector<float> hidden = hidden_activations(s, params, x, rows);
  const std::vector<float> top_grad = random_floats(static_cast<size_t>(rows) * s.hidden, 12);
  for (const bool top_bias : {true, false}) {
    std::vector<float> cpu_top = top_grad, cpu_scratch(top_grad.size()), cpu_grads(s.size(), 0.0f);
    std::vector<float> cpu_input_grad(x.size());
    cpu::hidden_backward(s, params.data(), x.data(), {hidden.data(), static_cast<size_t>(rows) * s.hidden}, rows,
                         cpu_top.data(), cpu_scratch.data(), cpu_grads.data(), cpu_input_grad.data());
    std::vector<float> top = top_grad, scratch(top_grad.size()), grads(s.size(), 0.0f), input_grad(x.size());
    run_on_host(tiled_hidden_backward_products(
        s,
        {params.data(), x.data(), hidden.data(), static_cast<size_t>(rows) * s.hidden, rows, top.data(),
         scratch.data(), grads.data(), input_grad.data(), s.in},
        top_bias, nullptr));
    const size_t top_bias_at = s.bias(s.hidden_layers - 1);
    if (!top_bias) {  // the caller's to write: left as it was
      EXPECT_TRUE(std::all_of(grads.begin() + top_bias_at, grads.begin() + top_bias_at + s.hidden,
                              [](float g) { return g == 0.0f; }));
      std::copy(cpu_grads.begin() + top_bias_at, cpu_grads.begin() + top_bias_at + s.hidden,
                grads.begin() + top_bias_at);
    }
    EXPECT_LT(relative_difference(grads.data(), cpu_grads.data(), s.w_out()), 1e-5) << "the hidden layers' gradients";
    EXPECT_LT(relative_difference(input_grad.data(), cpu_input_grad.data(), x.size()), 1e-5) << "the input gradient";
  }
}

TEST(TiledProduct, BackToAConditionalDsImageColumnsAndThroughGsSigmoid) {
  const MlpShape d{60, 32, 1, Activation::kRelu, 1};
  const int rows = 20, image_columns = 50;  // the image's columns of D's input; a digit's one-hot after them
  const std::vector<float> params = random_floats(d.size(), 13, -0.3f, 0.3f);
  const std::vector<float> x = random_floats(static_cast<size_t>(rows) * d.in, 14, 0.0f, 1.0f);
  const std::vector<float> hidden = hidden_activations(d, params, x, rows);
  const std::vector<float> top_grad = random_floats(static_cast<size_t>(rows) * d.hidden, 15);
  std::vector<float> cpu_top = top_grad, cpu_scratch(top_grad.size()), cpu_input_grad(x.size());
  cpu::hidden_backward(d, params.data(), nullptr, {hidden.data(), 0}, rows, cpu_top.data(), cpu_scratch.data(),
                       nullptr, cpu_input_grad.data());
  // G's images: the image columns of x, as sigmoid outputs, in rows of their own.
  std::vector<float> images(static_cast<size_t>(rows) * image_columns), expected(images.size());
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < image_columns; ++c) {
      images[r * image_columns + c] = x[r * d.in + c];
      expected[r * image_columns + c] = cpu_input_grad[r * d.in + c];
    }
  }
  cpu::sigmoid_backward_inplace(images.data(), expected.data(), expected.size());
  std::vector<float> top = top_grad, scratch(top_grad.size()), image_grad(images.size());
  run_on_host(tiled_hidden_backward_products(d,
                                             {params.data(), nullptr, hidden.data(), 0, rows, top.data(),
                                              scratch.data(), nullptr, image_grad.data(), image_columns},
                                             false, images.data()));
  EXPECT_LT(relative_difference(image_grad.data(), expected.data(), expected.size()), 1e-5);
}

TEST(TiledProduct, GsOutputLayerBackwardGivesTheCpuBackendsGradients) {
  const MlpShape g{20, 40, 60, Activation::kRelu, 1};
  const int rows = 33;
  const std::vector<float> params = random_floats(g.size(), 16, -0.3f, 0.3f);
  const std::vector<float> z = random_floats(static_cast<size_t>(rows) * g.in, 17);
  const std::vector<float> last_hidden = hidden_activations(g, params, z, rows);
  const std::vector<float> image_grad = random_floats(static_cast<size_t>(rows) * g.out, 18);
  std::vector<float> cpu_grads(g.size(), 0.0f), cpu_hidden_grad(last_hidden.size());
  cpu::linear_param_grads(image_grad.data(), last_hidden.data(), rows, g.hidden, g.out, cpu_grads.data() + g.w_out(),
                          cpu_grads.data() + g.b_out());
  cpu::linear_input_grad_through(g.activation, last_hidden.data(), image_grad.data(), params.data() + g.w_out(), rows,
                                 g.hidden, g.out, cpu_hidden_grad.data());
  std::vector<float> grads(g.size(), 0.0f), hidden_grad(last_hidden.size());
  const OutputBackwardProducts products = tiled_output_backward_products(
      g, params.data(), last_hidden.data(), rows, image_grad.data(), hidden_grad.data(), grads.data());
  run_on_host({products.weights, products.input});
  EXPECT_LT(relative_difference(grads.data(), cpu_grads.data(), grads.size()), 1e-5) << "w_out's and b_out's gradients";
  EXPECT_LT(relative_difference(hidden_grad.data(), cpu_hidden_grad.data(), hidden_grad.size()), 1e-5);
}

}  // namespace
}  // namespace ganvas::cuda_variants
