// The CPU backend: the GAN training step on OpenBLAS, with every buffer allocated once.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "gan/backend.h"
#include "common/error.h"
#include "gan/philox.h"
#include "gan/cpu/cpu_ops.h"

namespace ganvas {
namespace {

class CpuBackend final : public Backend {
 public:
  CpuBackend(const ModelShape& shape, int batch) : batch_(batch) {
    GANVAS_CHECK(batch > 0, "the batch size must be positive");
    state_ = initial_state(shape, 0);
    const size_t b = static_cast<size_t>(batch);
    z_.resize(b * shape.noise);
    g_hidden_.resize(b * shape.hidden);
    d_in_.resize(2 * b * shape.image);
    d_hidden_.resize(2 * b * shape.disc_hidden);
    d_logit_.resize(2 * b);
    d_logit_grad_.resize(2 * b);
    gen_logit_grad_.resize(b);
    d_hidden_grad_.resize(2 * b * shape.disc_hidden);
    g_out_grad_.resize(b * shape.image);
    g_hidden_grad_.resize(b * shape.hidden);
    gen_grad_.resize(shape.generator().size());
    disc_grad_.resize(shape.discriminator().size());
  }

  std::string name() const override { return "cpu"; }
  int batch() const override { return batch_; }

  void set_state(const GanState& state) override {
    check_consistent(state);
    GANVAS_CHECK(state.shape == state_.shape, "the state is of another model shape than this backend's");
    state_ = state;
  }
  GanState state() override { return state_; }

  void set_adam(const AdamConfig& generator, const AdamConfig& discriminator) override {
    gen_adam_ = generator;
    disc_adam_ = discriminator;
  }

  void set_training_images(const ImageSet& images) override {
    GANVAS_CHECK(images.pixels_per_image() == state_.shape.image, "training images must be 28x28");
    images_ = images.pixels;
    image_count_ = images.count;
  }

  void train_step(Update update) override {
    GANVAS_CHECK(image_count_ > 0, "no training images were given to the backend");
    const int pixels = state_.shape.image;
    for (int r = 0; r < batch_; ++r) {
      const uint32_t index = batch_image_index(state_.seed, state_.step, static_cast<uint32_t>(r),
                                               static_cast<uint32_t>(batch_), static_cast<uint32_t>(image_count_));
      scale_pixels(images_.data() + static_cast<size_t>(index) * pixels, d_in_.data() + static_cast<size_t>(r) * pixels);
    }
    for (size_t i = 0; i < z_.size(); i += 4) {
      const Philox4x32 words = random_block(state_.seed, state_.step, RngStream::kNoise, static_cast<uint32_t>(i / 4));
      for (size_t lane = 0; lane < 4 && i + lane < z_.size(); ++lane) z_[i + lane] = uniform_pm1(words.v[lane]);
    }
    run_step(update);
  }

  void train_step_on(const uint8_t* x_u8, const float* z, Update update) override {
    const size_t pixels = static_cast<size_t>(state_.shape.image);
    for (int r = 0; r < batch_; ++r) scale_pixels(x_u8 + r * pixels, d_in_.data() + r * pixels);
    std::copy(z, z + z_.size(), z_.begin());
    run_step(update);
  }

  StepMetrics latest_metrics() override { return metrics_; }

  void copy_params(std::vector<float>& generator, std::vector<float>& discriminator) override {
    generator = state_.generator.params;
    discriminator = state_.discriminator.params;
  }

  StepTrace trace() override {
    const size_t fake_offset = static_cast<size_t>(batch_) * state_.shape.image;
    return {g_hidden_,
            std::vector<float>(d_in_.begin() + static_cast<std::ptrdiff_t>(fake_offset), d_in_.end()),
            d_hidden_,
            d_logit_,
            gen_grad_,
            disc_grad_,
            metrics_};
  }

  void generate(const float* z, int n, float* images) override {
    std::vector<float> hidden(static_cast<size_t>(n) * state_.shape.hidden);
    cpu::generator_forward(state_.shape.generator(), state_.generator.params.data(), z, n, hidden.data(), images);
  }

 private:
  void scale_pixels(const uint8_t* pixels, float* out) const {
    for (int i = 0; i < state_.shape.image; ++i) out[i] = pixel_to_unit(pixels[i]);
  }

  void run_step(Update update) {
    forward();
    losses_and_logit_grads();
    const bool gen_grads = update != Update::kDiscriminator;
    const bool disc_grads = update != Update::kGenerator;
    if (disc_grads) discriminator_backward();
    if (gen_grads) generator_backward();
    if (update == Update::kBoth || update == Update::kGenerator) apply_adam(state_.generator, gen_grad_, gen_adam_);
    if (update == Update::kBoth || update == Update::kDiscriminator) {
      apply_adam(state_.discriminator, disc_grad_, disc_adam_);
    }
    metrics_.step = state_.step;
    if (update != Update::kNone) ++state_.step;
  }

  // G(z) is written straight into the fake half of the discriminator's input.
  void forward() {
    const ModelShape& s = state_.shape;
    float* fake = d_in_.data() + static_cast<size_t>(batch_) * s.image;
    cpu::generator_forward(s.generator(), state_.generator.params.data(), z_.data(), batch_, g_hidden_.data(), fake);
    cpu::discriminator_logits(s.discriminator(), state_.discriminator.params.data(), d_in_.data(), 2 * batch_,
                              d_hidden_.data(), d_logit_.data());
  }

  // The losses, mean D outputs, and d loss / d logit for D's loss (all rows) and G's (fake rows).
  void losses_and_logit_grads() {
    const float inv_batch = 1.0f / static_cast<float>(batch_);
    double gen_loss = 0, disc_loss = 0, d_real = 0, d_fake = 0;
    for (int r = 0; r < batch_; ++r) {
      const RowLosses row = row_losses(d_logit_[r], d_logit_[batch_ + r], inv_batch);
      disc_loss += row.disc_loss;
      gen_loss += row.gen_loss;
      d_real += row.d_real;
      d_fake += row.d_fake;
      d_logit_grad_[r] = row.disc_real_grad;
      d_logit_grad_[batch_ + r] = row.disc_fake_grad;
      gen_logit_grad_[r] = row.gen_fake_grad;
    }
    metrics_.gen_loss = static_cast<float>(gen_loss * inv_batch);
    metrics_.disc_loss = static_cast<float>(disc_loss * inv_batch);
    metrics_.d_real = static_cast<float>(d_real * inv_batch);
    metrics_.d_fake = static_cast<float>(d_fake * inv_batch);
  }

  // dh[r, j] = relu'(h[r, j]) * logit_grad[r] * w2[j]: back through D's one-unit output layer.
  void output_layer_backward(const float* logit_grad, const float* hidden, int rows, float* hidden_grad) const {
    const MlpShape d = state_.shape.discriminator();
    const float* w2 = state_.discriminator.params.data() + d.w2();
    for (int r = 0; r < rows; ++r) {
      const size_t row = static_cast<size_t>(r) * d.hidden;
      for (int j = 0; j < d.hidden; ++j) {
        hidden_grad[row + j] = relu_backward(hidden[row + j], logit_grad[r] * w2[j]);
      }
    }
  }

  void discriminator_backward() {
    const MlpShape d = state_.shape.discriminator();
    const int rows = 2 * batch_;
    float* grad = disc_grad_.data();
    // Output layer: one unit.
    std::fill(grad + d.w2(), grad + d.size(), 0.0f);
    for (int r = 0; r < rows; ++r) {
      const float* h = d_hidden_.data() + static_cast<size_t>(r) * d.hidden;
      for (int j = 0; j < d.hidden; ++j) grad[d.w2() + j] += d_logit_grad_[r] * h[j];
      grad[d.b2()] += d_logit_grad_[r];
    }
    output_layer_backward(d_logit_grad_.data(), d_hidden_.data(), rows, d_hidden_grad_.data());
    cpu::linear_param_grads(d_hidden_grad_.data(), d_in_.data(), rows, d.in, d.hidden, grad + d.w1(), grad + d.b1());
  }

  // G's loss flows back through D's pre-update weights on the fake rows only.
  void generator_backward() {
    const ModelShape& s = state_.shape;
    const MlpShape d = s.discriminator();
    const MlpShape g = s.generator();
    const size_t fake_rows = static_cast<size_t>(batch_);
    const float* fake_hidden = d_hidden_.data() + fake_rows * d.hidden;
    const float* fake = d_in_.data() + fake_rows * s.image;
    // The fake rows' half of d_hidden_grad_ is free scratch here: D's gradient is already taken.
    float* hidden_grad = d_hidden_grad_.data();
    output_layer_backward(gen_logit_grad_.data(), fake_hidden, batch_, hidden_grad);
    cpu::linear_input_grad(hidden_grad, state_.discriminator.params.data() + d.w1(), batch_, d.in, d.hidden,
                           g_out_grad_.data());
    cpu::sigmoid_backward_inplace(fake, g_out_grad_.data(), g_out_grad_.size());

    const float* gp = state_.generator.params.data();
    float* grad = gen_grad_.data();
    cpu::linear_param_grads(g_out_grad_.data(), g_hidden_.data(), batch_, g.hidden, g.out, grad + g.w2(), grad + g.b2());
    cpu::linear_input_grad(g_out_grad_.data(), gp + g.w2(), batch_, g.hidden, g.out, g_hidden_grad_.data());
    cpu::relu_backward_inplace(g_hidden_.data(), g_hidden_grad_.data(), g_hidden_grad_.size());
    cpu::linear_param_grads(g_hidden_grad_.data(), z_.data(), batch_, g.in, g.hidden, grad + g.w1(), grad + g.b1());
  }

  static void apply_adam(NetState& net, const std::vector<float>& grads, const AdamConfig& config) {
    net.powers = adam_next_powers(net.powers, config);
    cpu::adam_apply(net.params.data(), net.m.data(), net.v.data(), grads.data(), grads.size(), config, net.powers);
  }

  int batch_;
  GanState state_;
  AdamConfig gen_adam_;
  AdamConfig disc_adam_;
  std::vector<uint8_t> images_;
  int image_count_ = 0;

  std::vector<float> z_;              // [batch, noise]
  std::vector<float> g_hidden_;       // [batch, hidden]
  std::vector<float> d_in_;           // [2 batch, image]: real rows, then G(z)
  std::vector<float> d_hidden_;       // [2 batch, disc_hidden]
  std::vector<float> d_logit_;        // [2 batch]
  std::vector<float> d_logit_grad_;   // d disc_loss / d logit
  std::vector<float> gen_logit_grad_; // d gen_loss / d fake logit
  std::vector<float> d_hidden_grad_;  // [2 batch, disc_hidden]
  std::vector<float> g_out_grad_;     // [batch, image]
  std::vector<float> g_hidden_grad_;  // [batch, hidden]
  std::vector<float> gen_grad_;
  std::vector<float> disc_grad_;
  StepMetrics metrics_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(const ModelShape& shape, int batch) {
  return std::make_unique<CpuBackend>(shape, batch);
}

}  // namespace ganvas
