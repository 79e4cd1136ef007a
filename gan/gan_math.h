// The element-wise math of the GAN, written once for every backend (host and device).
//
// Activations, the stable log-sigmoid losses and their derivatives, the noise scaling of pixels
// and the TF1-form Adam update. Templates so tests can also evaluate them in double precision.
#pragma once

#include <cmath>

#include "gan/hd.h"

namespace ganvas {

GANVAS_HD float hd_exp(float x) { return expf(x); }
GANVAS_HD double hd_exp(double x) { return exp(x); }
GANVAS_HD float hd_log1p(float x) { return log1pf(x); }
GANVAS_HD double hd_log1p(double x) { return log1p(x); }
GANVAS_HD float hd_sqrt(float x) { return sqrtf(x); }
GANVAS_HD double hd_sqrt(double x) { return sqrt(x); }

// Pixels are stored as bytes; the model sees pixel * float(1/255), as the tutorial's loader.
GANVAS_HD float pixel_to_unit(unsigned char pixel) { return static_cast<float>(pixel) * (1.0f / 255.0f); }

template <class T>
GANVAS_HD T relu(T x) { return x > T(0) ? x : T(0); }

// d relu: passes the gradient where the activation (relu's output) is positive.
template <class T>
GANVAS_HD T relu_backward(T activation, T grad) { return activation > T(0) ? grad : T(0); }

template <class T>
GANVAS_HD T sigmoid(T x) {
  if (x >= T(0)) return T(1) / (T(1) + hd_exp(-x));
  const T e = hd_exp(x);
  return e / (T(1) + e);
}

// d sigmoid from sigmoid's output.
template <class T>
GANVAS_HD T sigmoid_backward(T output, T grad) { return grad * output * (T(1) - output); }

// log(1 + e^x) without overflow.
template <class T>
GANVAS_HD T softplus(T x) {
  const T magnitude = x >= T(0) ? x : -x;
  return (x > T(0) ? x : T(0)) + hd_log1p(hd_exp(-magnitude));
}

// -log(sigmoid(logit)): the loss of a logit whose target is "real".
template <class T>
GANVAS_HD T loss_real(T logit) { return softplus(-logit); }

// -log(1 - sigmoid(logit)): the loss of a logit whose target is "fake".
template <class T>
GANVAS_HD T loss_fake(T logit) { return softplus(logit); }

// d loss_real / d logit = sigmoid(logit) - 1.
template <class T>
GANVAS_HD T loss_real_grad(T logit) { return sigmoid(logit) - T(1); }

// d loss_fake / d logit = sigmoid(logit).
template <class T>
GANVAS_HD T loss_fake_grad(T logit) { return sigmoid(logit); }

// One batch row's share of the GAN's losses: the logits D gave its real image and its fake one.
struct RowLosses {
  float disc_loss;       // -log D(x) - log(1 - D(G(z)))
  float gen_loss;        // -log D(G(z))
  float d_real;          // D(x)
  float d_fake;          // D(G(z))
  float disc_real_grad;  // d disc_loss / d real logit, divided by the batch size (the mean's factor)
  float disc_fake_grad;  // d disc_loss / d fake logit, likewise
  float gen_fake_grad;   // d gen_loss / d fake logit, likewise
};

GANVAS_HD RowLosses row_losses(float real_logit, float fake_logit, float inv_batch) {
  return {loss_real(real_logit) + loss_fake(fake_logit),
          loss_real(fake_logit),
          sigmoid(real_logit),
          sigmoid(fake_logit),
          loss_real_grad(real_logit) * inv_batch,
          loss_fake_grad(fake_logit) * inv_batch,
          loss_real_grad(fake_logit) * inv_batch};
}

// Adam's hyperparameters and TF1's running powers of the betas.
struct AdamConfig {
  float lr = 2e-4f;
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-8f;
};

struct AdamPowers {
  float beta1_power = 1.0f;  // beta1^t after t updates
  float beta2_power = 1.0f;
  long long t = 0;
};

// Advances the powers to the next update, as TF1's optimizer does before applying it.
GANVAS_HD AdamPowers adam_next_powers(AdamPowers powers, const AdamConfig& config) {
  powers.beta1_power *= config.beta1;
  powers.beta2_power *= config.beta2;
  powers.t += 1;
  return powers;
}

// TF1's step size: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t).
GANVAS_HD float adam_step_size(const AdamConfig& config, const AdamPowers& powers) {
  return config.lr * hd_sqrt(1.0f - powers.beta2_power) / (1.0f - powers.beta1_power);
}

// One parameter's Adam update in TF1's form.
GANVAS_HD void adam_update(float& param, float& m, float& v, float grad, float step_size,
                           const AdamConfig& config) {
  m += (grad - m) * (1.0f - config.beta1);
  v += (grad * grad - v) * (1.0f - config.beta2);
  param -= step_size * m / (hd_sqrt(v) + config.epsilon);
}

}  // namespace ganvas
