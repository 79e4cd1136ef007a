// The CPU backend: the GAN training step on OpenBLAS, with every buffer allocated once. Trains the
// tutorial's model and its variants: a conditional model, a second hidden layer, LeakyReLU, the four
// objectives, SGD.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "gan/backends/backend.h"
#include "common/error.h"
#include "gan/math/philox.h"
#include "gan/model/cpu_ops.h"
#include "gan/model/shared_pass.h"

namespace ganvas {
namespace {

class CpuBackend final : public Backend {
 public:
  CpuBackend(const ModelShape& shape, int batch) : batch_(batch) {
    GANVAS_CHECK(batch > 0, "the batch size must be positive");
    state_ = initial_state(shape, 0);
    const size_t b = static_cast<size_t>(batch);
    const size_t d_in = static_cast<size_t>(shape.discriminator().in);
    z_.resize(b * shape.latent());
    const MlpShape g = shape.generator(), d = shape.discriminator();
    g_hidden_.resize(g.hidden_values(batch));
    g_out_.resize(shape.conditional() ? b * shape.image : 0);
    d_in_.resize(2 * b * d_in);
    d_hidden_.resize(d.hidden_values(2 * batch));
    d_logit_.resize(2 * b);
    d_logit_grad_.resize(2 * b);
    gen_logit_grad_.resize(b);
    d_hidden_grad_.resize(2 * b * shape.disc_hidden);
    d_hidden_scratch_.resize(shape.hidden_layers > 1 ? d_hidden_grad_.size() : 0);
    d_in_grad_.resize(shape.conditional() ? b * d_in : 0);
    g_out_grad_.resize(b * shape.image);
    g_hidden_grad_.resize(b * shape.hidden);
    g_hidden_scratch_.resize(shape.hidden_layers > 1 ? g_hidden_grad_.size() : 0);
    gen_grad_.resize(shape.generator().size());
    disc_grad_.resize(shape.discriminator().size());
  }

  std::string name() const override { return "cpu"; }
  int batch() const override { return batch_; }

  void set_state(const GanState& state) override {
    check_consistent(state);
    GANVAS_CHECK(state.shape == state_.shape, "the state is of another model shape than this backend's");
    state_ = state;
    if (state_.recipe.generator_ema <= 0.0f) state_.generator_ema.clear();
    else if (state_.generator_ema.empty()) state_.generator_ema = state_.generator.params;  // the average starts here
  }
  GanState state() override { return state_; }

  void set_adam(const AdamConfig& generator, const AdamConfig& discriminator) override {
    gen_adam_ = generator;
    disc_adam_ = discriminator;
  }

  void set_training_images(const ImageSet& images) override {
    GANVAS_CHECK(images.pixels_per_image() == state_.shape.image, "training images must be 28x28");
    if (state_.shape.conditional()) check_labels(images.labels.data(), images.labels.size(), images.count);
    images_ = images.pixels;
    labels_ = images.labels;
    image_count_ = images.count;
  }

  void train_step(Update update) override {
    GANVAS_CHECK(image_count_ > 0, "no training images were given to the backend");
    const int pixels = state_.shape.image;
    constexpr size_t kRowsPerPart = 16;  // the gather waits on memory: both threads take rows
    cpu::run_shared_range(static_cast<size_t>(batch_), kRowsPerPart, [&](size_t first, size_t end) {
      for (int r = static_cast<int>(first); r < static_cast<int>(end); ++r) {
        const uint32_t index = batch_image_index(state_.seed, state_.step, static_cast<uint32_t>(r),
                                                 static_cast<uint32_t>(batch_), static_cast<uint32_t>(image_count_));
        real_row(r, images_.data() + static_cast<size_t>(index) * pixels, labels_.empty() ? 0 : labels_[index]);
      }
    });
    draw_noise();
    run_step(update);
  }

  void train_step_on(const uint8_t* x_u8, const uint8_t* labels, const float* z, Update update) override {
    const ModelShape& s = state_.shape;
    if (s.conditional()) {
      GANVAS_CHECK(labels != nullptr, "a conditional model's step needs the real images' labels");
      check_labels(labels, static_cast<size_t>(batch_), batch_);
    }
    for (int r = 0; r < batch_; ++r) real_row(r, x_u8 + static_cast<size_t>(r) * s.image, labels ? labels[r] : 0);
    std::copy(z, z + z_.size(), z_.begin());
    run_step(update);
  }

  StepMetrics latest_metrics() override { return metrics_; }

  void copy_params(std::vector<float>& generator, std::vector<float>& discriminator) override {
    generator = state_.sampling_generator();
    discriminator = state_.discriminator.params;
  }

  StepTrace trace() override {
    const float* fakes = fake_image(0);  // [batch, image], contiguous in either place
    const size_t count = static_cast<size_t>(batch_) * state_.shape.image;
    return {g_hidden_, std::vector<float>(fakes, fakes + count), d_hidden_, d_logit_, gen_grad_, disc_grad_, metrics_};
  }

  void generate(const float* z, int n, float* images) override {
    std::vector<float> hidden(state_.shape.generator().hidden_values(n));
    cpu::generator_forward(state_.shape.generator(), state_.sampling_generator().data(), z, n, hidden.data(), images);
  }

 private:
  void check_labels(const uint8_t* labels, size_t size, int count) const {
    GANVAS_CHECK(size == static_cast<size_t>(count), "a conditional model trains on labelled images");
    for (int i = 0; i < count; ++i) {
      GANVAS_CHECK(labels[i] < state_.shape.classes, "a label is outside the model's classes");
    }
  }

  size_t d_in_width() const { return static_cast<size_t>(state_.shape.discriminator().in); }
  float* d_row(int row) { return d_in_.data() + row * d_in_width(); }
  // Where G's image of batch row r is: straight in D's input when nothing is joined to it. Either
  // way the batch's images are contiguous rows.
  float* fake_image(int r) {
    return state_.shape.conditional() ? g_out_.data() + static_cast<size_t>(r) * state_.shape.image : d_row(batch_ + r);
  }

  // Row r of D's real half: the pixels, then (conditional) the label's one-hot vector.
  void real_row(int r, const uint8_t* pixels, uint8_t label) {
    float* row = d_row(r);
    for (int i = 0; i < state_.shape.image; ++i) row[i] = pixel_to_unit(pixels[i]);
    write_one_hot(row + state_.shape.image, label);
  }

  void write_one_hot(float* out, int label) const {
    for (int c = 0; c < state_.shape.classes; ++c) out[c] = c == label ? 1.0f : 0.0f;
  }

  // The step's noise (the tutorial's sequence, row after row) and, conditional, each fake's digit.
  void draw_noise() {
    const ModelShape& s = state_.shape;
    const size_t count = static_cast<size_t>(batch_) * s.noise;
    constexpr size_t kBlocksPerPart = 512;  // 2,048 values: both threads draw
    cpu::run_shared_range((count + 3) / 4, kBlocksPerPart, [&](size_t first, size_t end) {
      for (size_t block = first; block < end; ++block) {
        const Philox4x32 words = random_block(state_.seed, state_.step, RngStream::kNoise, static_cast<uint32_t>(block));
        for (size_t at = 4 * block; at < std::min(count, 4 * block + 4); ++at) {
          z_[at / s.noise * s.latent() + at % s.noise] = uniform_pm1(words.v[at % 4]);
        }
      }
    });
    for (int r = 0; r < batch_ && s.conditional(); ++r) {
      const Philox4x32 words = random_block(state_.seed, state_.step, RngStream::kLabel, static_cast<uint32_t>(r));
      write_one_hot(z_.data() + static_cast<size_t>(r) * s.latent() + s.noise, static_cast<int>(words.v[0] % s.classes));
    }
  }

  void run_step(Update update) {
    forward();
    losses_and_logit_grads();
    const bool gen_grads = update != Update::kDiscriminator;
    const bool disc_grads = update != Update::kGenerator;
    if (disc_grads) discriminator_backward();
    if (gen_grads) generator_backward();
    if (update == Update::kBoth || update == Update::kGenerator) {
      apply_update(state_.generator, gen_grad_, gen_adam_);
      if (!state_.generator_ema.empty()) {
        cpu::moving_average(state_.generator_ema.data(), state_.generator.params.data(), state_.generator_ema.size(),
                            average_decay(state_.recipe.generator_ema, state_.step + 1));
      }
    }
    if (update == Update::kBoth || update == Update::kDiscriminator) {
      apply_update(state_.discriminator, disc_grad_, disc_adam_);
    }
    metrics_.step = state_.step;
    if (update != Update::kNone) ++state_.step;
  }

  // G(z), then D on the real rows and the fake ones (each fake joined to its noise's digit).
  void forward() {
    const ModelShape& s = state_.shape;
    cpu::generator_forward(s.generator(), state_.generator.params.data(), z_.data(), batch_, g_hidden_.data(),
                           fake_image(0));
    for (int r = 0; r < batch_ && s.conditional(); ++r) {
      float* row = d_row(batch_ + r);
      std::copy(fake_image(r), fake_image(r) + s.image, row);
      std::copy(&z_[static_cast<size_t>(r) * s.latent() + s.noise], &z_[static_cast<size_t>(r + 1) * s.latent()], row + s.image);
    }
    cpu::discriminator_logits(s.discriminator(), state_.discriminator.params.data(), d_in_.data(), 2 * batch_,
                              d_hidden_.data(), d_logit_.data());
  }

  // The losses, mean D outputs, and d loss / d logit for D's loss (all rows) and G's (fake rows).
  void losses_and_logit_grads() {
    const float inv_batch = 1.0f / static_cast<float>(batch_);
    double gen_loss = 0, disc_loss = 0, d_real = 0, d_fake = 0;
    for (int r = 0; r < batch_; ++r) {
      const RowLosses row = objective_row(state_.recipe.loss, d_logit_[r], d_logit_[batch_ + r], inv_batch,
                                          state_.recipe.real_target);
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

  // The hidden activations of D's rows: all 2 batch of them from `row` 0, the fakes from `batch`.
  cpu::HiddenRows disc_hidden_rows(int row) const {
    const int width = state_.shape.disc_hidden;
    return {d_hidden_.data() + static_cast<size_t>(row) * width, static_cast<size_t>(2 * batch_) * width};
  }

  void discriminator_backward() {
    const MlpShape d = state_.shape.discriminator();
    const int rows = 2 * batch_;
    const float* params = state_.discriminator.params.data();
    const float* last_hidden = disc_hidden_rows(0).layer(d.hidden_layers - 1);
    float* grad = disc_grad_.data();
    cpu::output_unit_param_grads(d_logit_grad_.data(), last_hidden, rows, d.hidden, grad + d.w_out(), grad + d.b_out());
    cpu::discriminator_hidden_grad(d, params, d_logit_grad_.data(), last_hidden, rows, d_hidden_grad_.data());
    cpu::hidden_backward(d, params, d_in_.data(), disc_hidden_rows(0), rows, d_hidden_grad_.data(),
                         d_hidden_scratch_.data(), grad, nullptr);
  }

  // d G's loss / d G's images [batch, image], through D's pre-update weights on the fake rows.
  void image_gradient() {
    const MlpShape d = state_.shape.discriminator();
    // d_hidden_grad_ is free scratch here (D's gradient is already taken): a half for each of the two.
    float* grad_a = d_hidden_grad_.data();
    float* grad_b = grad_a + static_cast<size_t>(batch_) * d.hidden;
    const bool joined = state_.shape.conditional();
    float* input_grad = joined ? d_in_grad_.data() : g_out_grad_.data();
    cpu::discriminator_input_grad(d, state_.discriminator.params.data(), disc_hidden_rows(batch_), batch_,
                                  gen_logit_grad_.data(), grad_a, grad_b, input_grad);
    if (!joined) return;
    // D's input gradient has the condition's columns too; G's images are the first `image` of them.
    const int image = state_.shape.image;
    for (int r = 0; r < batch_; ++r) {
      std::copy(&d_in_grad_[r * d_in_width()], &d_in_grad_[r * d_in_width()] + image, &g_out_grad_[static_cast<size_t>(r) * image]);
    }
  }

  void generator_backward() {
    const MlpShape g = state_.shape.generator();
    image_gradient();
    cpu::sigmoid_backward_inplace(fake_image(0), g_out_grad_.data(), g_out_grad_.size());
    const float* gp = state_.generator.params.data();
    float* grad = gen_grad_.data();
    const cpu::HiddenRows hidden{g_hidden_.data(), static_cast<size_t>(batch_) * g.hidden};
    const float* last_hidden = hidden.layer(g.hidden_layers - 1);
    cpu::linear_param_grads(g_out_grad_.data(), last_hidden, batch_, g.hidden, g.out, grad + g.w_out(), grad + g.b_out());
    cpu::linear_input_grad_through(g.activation, last_hidden, g_out_grad_.data(), gp + g.w_out(), batch_, g.hidden,
                                   g.out, g_hidden_grad_.data());
    cpu::hidden_backward(g, gp, z_.data(), hidden, batch_, g_hidden_grad_.data(), g_hidden_scratch_.data(), grad,
                         nullptr);
  }

  // Adam (TF1's form), or SGD with momentum (Adam's beta1) keeping its velocity in the first moment.
  void apply_update(NetState& net, const std::vector<float>& grads, const AdamConfig& config) const {
    if (state_.recipe.optimizer == Optimizer::kSgd) {
      net.powers = sgd_next_count(net.powers);
      cpu::sgd_apply(net.params.data(), net.m.data(), grads.data(), grads.size(), config.lr, config.beta1);
      return;
    }
    net.powers = adam_next_powers(net.powers, config);
    cpu::adam_apply(net.params.data(), net.m.data(), net.v.data(), grads.data(), grads.size(), config, net.powers);
  }

  int batch_;
  GanState state_;
  AdamConfig gen_adam_;
  AdamConfig disc_adam_;
  std::vector<uint8_t> images_;
  std::vector<uint8_t> labels_;
  int image_count_ = 0;

  std::vector<float> z_;              // [batch, latent]: noise, then (conditional) the fake's one-hot digit
  std::vector<float> g_hidden_;       // [hidden_layers, batch, hidden]
  std::vector<float> g_out_;          // [batch, image] G's images, when D's input joins a condition to them
  std::vector<float> d_in_;           // [2 batch, image (+ classes)]: real rows, then G(z)
  std::vector<float> d_hidden_;       // [hidden_layers, 2 batch, disc_hidden]
  std::vector<float> d_logit_;        // [2 batch]
  std::vector<float> d_logit_grad_;   // d disc_loss / d logit
  std::vector<float> gen_logit_grad_; // d gen_loss / d fake logit
  std::vector<float> d_hidden_grad_;  // [2 batch, disc_hidden]
  std::vector<float> d_hidden_scratch_;  // the same, for a second hidden layer
  std::vector<float> d_in_grad_;      // [batch, image + classes] (conditional only)
  std::vector<float> g_out_grad_;     // [batch, image]
  std::vector<float> g_hidden_grad_;  // [batch, hidden]
  std::vector<float> g_hidden_scratch_;  // the same, for a second hidden layer
  std::vector<float> gen_grad_;
  std::vector<float> disc_grad_;
  StepMetrics metrics_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend(const ModelShape& shape, int batch) {
  return std::make_unique<CpuBackend>(shape, batch);
}

}  // namespace ganvas
