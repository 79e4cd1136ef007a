// The tiled product kernel of the CUDA kernel variants (bench/cuda_variants/tiled_kernel.cuh) on the
// GPU against the same phases run on the CPU (tiled_product.h): equal bit for bit where the epilogue
// is arithmetic alone, within a few units in the last place where it takes an exponential (the GPU's
// expf is not glibc's), launched plainly and with programmatic dependent launch. Skips where no
// device can be used.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "bench/cuda_variants/tiled_kernel.cuh"
#include "bench/cuda_variants/tiled_product.h"
#include "gan/backends/cuda/cuda_handles.h"
#include "gan/backends/cuda/device_buffer.h"
#include "gan/backends/device_info.h"
#include "tests/test_support.h"

namespace ganvas::cuda_variants {
namespace {

using cuda::CudaStream;
using cuda::DeviceBuffer;

using test::random_floats;

// Device copies of a product's inputs, and its output from the GPU and from the CPU.
class TiledKernel : public ::testing::Test {
 protected:
  void SetUp() override {
    const CudaAvailability cuda = cuda_availability();
    if (!cuda.usable) GTEST_SKIP() << "CUDA backend " << cuda.detail;
    device_ = std::make_unique<Device>();
  }

  cudaStream_t stream() { return device_->stream.get(); }
  float* c() { return device_->c.data(); }
  float* sums() { return device_->sums.data(); }

  const float* on_device(const std::vector<float>& host) {
    device_->inputs.emplace_back(host.size(), "a test input");
    device_->inputs.back().upload(host, stream());
    return device_->inputs.back().data();
  }

  // Runs `device` (its pointers on the GPU), launched each way, and `host` (the same product on the
  // CPU): C and the row sums from each, compared as `exact` says.
  void expect_same(const TiledProduct& device, const TiledProduct& host, size_t c_size, size_t sums_size, bool exact) {
    run_tiled_product_on_host(host);
    for (const Launch launch : {Launch::kPlain, Launch::kProgrammatic}) {
      SCOPED_TRACE(launch == Launch::kPlain ? "plain launch" : "programmatic dependent launch");
      device_->c.zero_async(stream());
      device_->sums.zero_async(stream());
      launch_tiled_product(stream(), device, launch);
      expect_outputs(host, c_size, sums_size, exact);
    }
  }

  void expect_outputs(const TiledProduct& host, size_t c_size, size_t sums_size, bool exact) {
    const std::vector<float> c = device_->c.download(stream(), 0, c_size);
    for (size_t i = 0; i < c_size; ++i) {
      if (exact) {
        ASSERT_EQ(c[i], host.c[i]) << "output " << i;
      } else {
        ASSERT_NEAR(c[i], host.c[i], 4e-7f * std::max(1.0f, std::fabs(host.c[i]))) << "output " << i;
      }
    }
    if (sums_size == 0) return;
    const std::vector<float> sums = device_->sums.download(stream(), 0, sums_size);
    for (size_t i = 0; i < sums_size; ++i) ASSERT_EQ(sums[i], host.row_sums[i]) << "row sum " << i;
  }

  // Made once the test knows a device can be used.
  struct Device {
    CudaStream stream;
    std::vector<DeviceBuffer<float>> inputs;
    DeviceBuffer<float> c{size_t{1} << 20, "the product"};
    DeviceBuffer<float> sums{4096, "the row sums"};
  };
  std::unique_ptr<Device> device_;
};

TEST_F(TiledKernel, ForwardLayersEqualTheirRunOnTheCpu) {
  for (const Epilogue epilogue : {Epilogue::kActivate, Epilogue::kSigmoid}) {
    const int rows = 128, in = 100, out = 784;  // G's shapes, a layer wider than deep
    const std::vector<float> x = random_floats(rows * in, 1), w = random_floats(out * in, 2), b = random_floats(out, 3);
    std::vector<float> y(rows * out);
    const TiledProduct device = forward_product(on_device(x), rows, in, in, on_device(w), on_device(b), out, c(),
                                                epilogue, Activation::kLeakyRelu);
    const TiledProduct host =
        forward_product(x.data(), rows, in, in, w.data(), b.data(), out, y.data(), epilogue, Activation::kLeakyRelu);
    expect_same(device, host, y.size(), 0, epilogue != Epilogue::kSigmoid);
  }
}

TEST_F(TiledKernel, InputAndWeightGradientsEqualTheirRunOnTheCpu) {
  const int rows = 256, out = 256, columns = 784, w_stride = 794;  // back through a conditional D
  const std::vector<float> dy = random_floats(rows * out, 4), w = random_floats(out * w_stride, 5);
  const std::vector<float> activations = random_floats(rows * columns, 6);
  std::vector<float> dx(rows * columns);
  expect_same(input_grad_product(on_device(dy), rows, out, on_device(w), columns, w_stride, c(),
                                 Epilogue::kActivateBackward, Activation::kRelu, on_device(activations)),
              input_grad_product(dy.data(), rows, out, w.data(), columns, w_stride, dx.data(),
                                 Epilogue::kActivateBackward, Activation::kRelu, activations.data()),
              dx.size(), 0, true);
  const int in = 784;
  const std::vector<float> x = random_floats(rows * in, 7);
  std::vector<float> grad_w(out * in), bias_grad(out);
  expect_same(weight_grad_product(on_device(dy), on_device(x), rows, in, in, out, c(), sums()),
              weight_grad_product(dy.data(), x.data(), rows, in, in, out, grad_w.data(), bias_grad.data()),
              grad_w.size(), bias_grad.size(), true);
}

}  // namespace
}  // namespace ganvas::cuda_variants
