// The interface every training backend (cpu, cuda) implements: one GAN training step and sampling.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gan/io/dataset.h"
#include "gan/math/gan_math.h"
#include "gan/model/model.h"

namespace ganvas {

// Which networks a step updates. kBoth is the tutorial's simultaneous step: one forward pass, both
// gradients from the same pre-update weights, then both updates. kNone evaluates without updating
// and without advancing the step counter.
enum class Update { kBoth, kDiscriminator, kGenerator, kNone };

struct StepMetrics {
  uint64_t step = 0;  // which step (0-based) these numbers describe
  float gen_loss = 0;
  float disc_loss = 0;
  float d_real = 0;  // mean D(x)
  float d_fake = 0;  // mean D(G(z))
};

// Everything one step computed, copied to the host: for tests and backend-to-backend comparison.
struct StepTrace {
  std::vector<float> g_hidden;   // [hidden_layers, batch, hidden] after the activation
  std::vector<float> g_out;      // [batch, 784] after sigmoid
  std::vector<float> d_hidden;   // [hidden_layers, 2*batch, disc_hidden]: real rows, then fake rows
  std::vector<float> d_logit;    // [2*batch]
  std::vector<float> gen_grad;   // d gen_loss / d generator parameters (parameter layout)
  std::vector<float> disc_grad;  // d disc_loss / d discriminator parameters
  StepMetrics metrics;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual int batch() const = 0;

  virtual void set_state(const GanState& state) = 0;
  virtual GanState state() = 0;
  // Live learning rates and betas; the Adam counters are part of the state.
  virtual void set_adam(const AdamConfig& generator, const AdamConfig& discriminator) = 0;

  // The images training draws from (the backend keeps its own copy).
  virtual void set_training_images(const ImageSet& images) = 0;
  // One step on the batch and noise that (seed, step) select.
  virtual void train_step(Update update) = 0;
  // One step on a given batch: raw pixels [batch, 784], their labels [batch] (conditional models
  // only; else null) and latents [batch, latent] (noise, then the fakes' one-hot digits).
  virtual void train_step_on(const uint8_t* x_u8, const uint8_t* labels, const float* z, Update update) = 0;

  // The numbers of the latest step (may wait for it to finish).
  virtual StepMetrics latest_metrics() = 0;
  // Copies of the current parameters of both networks (waits for queued steps).
  virtual void copy_params(std::vector<float>& generator, std::vector<float>& discriminator) = 0;
  virtual StepTrace trace() = 0;

  // Images [n, 784] in [0, 1] of the current generator for latents z [n, noise].
  virtual void generate(const float* z, int n, float* images) = 0;
};

std::unique_ptr<Backend> make_cpu_backend(const ModelShape& shape, int batch);

}  // namespace ganvas
