// The element-wise math of the GAN, written once for every backend (host and device).
//
// Activations, the stable log-sigmoid losses and their derivatives, the noise scaling of pixels
// and the TF1-form Adam update. Templates so tests can also evaluate them in double precision.
#pragma once

#include <cmath>

#include "gan/math/hd.h"

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

// The hidden layers' activation: the tutorial's ReLU, or LeakyReLU with slope kLeak below zero.
enum class Activation { kRelu, kLeakyRelu };
inline constexpr float kLeak = 0.2f;

template <class T>
GANVAS_HD T activate(Activation a, T x) {
  return x > T(0) ? x : (a == Activation::kLeakyRelu ? T(kLeak) * x : T(0));
}

// d activation from the activation's output (positive exactly where its input was).
template <class T>
GANVAS_HD T activate_backward(Activation a, T activation, T grad) {
  return activation > T(0) ? grad : (a == Activation::kLeakyRelu ? T(kLeak) * grad : T(0));
}

// Written without branches around the exponential (e^-|x| never overflows) so loops of it vectorize.
template <class T>
GANVAS_HD T sigmoid(T x) {
  const T e = hd_exp(x >= T(0) ? -x : x);
  return x >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
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

// The GAN's objective. D's output is a logit; D(x) = sigmoid(logit) for the first two, the raw
// logit is D's score for the other two.
//   non-saturating (the tutorial): L_D = -log D(x) - log(1 - D(G(z))),  L_G = -log D(G(z))
//   minimax (the original):        L_D as above,                        L_G = log(1 - D(G(z)))
//   least squares:                 L_D = (s_x - 1)^2 / 2 + s_G^2 / 2,     L_G = (s_G - 1)^2 / 2
//   hinge:                         L_D = max(0, 1 - s_x) + max(0, 1 + s_G), L_G = -s_G
enum class Loss { kNonSaturating, kMinimax, kLeastSquares, kHinge };

// One batch row's losses under `loss`, with D's target for real images `real_target` (1, or e.g.
// 0.9 for one-sided label smoothing; ignored by the hinge loss). D(x) and D(G(z)) are reported as
// sigmoid of the logits whatever the loss.
GANVAS_HD RowLosses objective_row(Loss loss, float real_logit, float fake_logit, float inv_batch, float real_target) {
  RowLosses row{0, 0, sigmoid(real_logit), sigmoid(fake_logit), 0, 0, 0};
  switch (loss) {
    case Loss::kNonSaturating:
    case Loss::kMinimax:
      row.disc_loss = real_target * loss_real(real_logit) + (1.0f - real_target) * loss_fake(real_logit) +
                      loss_fake(fake_logit);
      row.disc_real_grad = (row.d_real - real_target) * inv_batch;
      row.disc_fake_grad = loss_fake_grad(fake_logit) * inv_batch;
      row.gen_loss = loss == Loss::kMinimax ? -loss_fake(fake_logit) : loss_real(fake_logit);
      row.gen_fake_grad = (loss == Loss::kMinimax ? -loss_fake_grad(fake_logit) : loss_real_grad(fake_logit)) * inv_batch;
      break;
    case Loss::kLeastSquares:
      row.disc_loss = 0.5f * ((real_logit - real_target) * (real_logit - real_target) + fake_logit * fake_logit);
      row.disc_real_grad = (real_logit - real_target) * inv_batch;
      row.disc_fake_grad = fake_logit * inv_batch;
      row.gen_loss = 0.5f * (fake_logit - 1.0f) * (fake_logit - 1.0f);
      row.gen_fake_grad = (fake_logit - 1.0f) * inv_batch;
      break;
    case Loss::kHinge:
      row.disc_loss = relu(1.0f - real_logit) + relu(1.0f + fake_logit);
      row.disc_real_grad = (real_logit < 1.0f ? -1.0f : 0.0f) * inv_batch;
      row.disc_fake_grad = (fake_logit > -1.0f ? 1.0f : 0.0f) * inv_batch;
      row.gen_loss = -fake_logit;
      row.gen_fake_grad = -inv_batch;
      break;
  }
  return row;
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

// SGD keeps no powers of the betas; it only counts its updates.
GANVAS_HD AdamPowers sgd_next_count(AdamPowers powers) {
  powers.t += 1;
  return powers;
}

// The decay of the average of G's weights at the end of training step `steps` (1 for the first):
// the recipe's `decay`, or less while few steps are in (TensorFlow's ExponentialMovingAverage with
// num_updates, the global step), so early on the average follows training instead of holding on to
// the random initial weights. The step count is in every checkpoint, weights-only ones included.
GANVAS_HD float average_decay(float decay, unsigned long long steps) {
  const float early = (1.0f + static_cast<float>(steps)) / (10.0f + static_cast<float>(steps));
  return early < decay ? early : decay;
}

// One parameter of the average: average += (1 - decay) (value - average).
GANVAS_HD void average_update(float& average, float value, float decay) { average += (1.0f - decay) * (value - average); }

// TF1's step size: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t).
GANVAS_HD float adam_step_size(const AdamConfig& config, const AdamPowers& powers) {
  return config.lr * hd_sqrt(1.0f - powers.beta2_power) / (1.0f - powers.beta1_power);
}

// One parameter's SGD update with momentum: velocity = momentum * velocity + grad, param -= lr * velocity.
GANVAS_HD void sgd_update(float& param, float& velocity, float grad, float lr, float momentum) {
  velocity = momentum * velocity + grad;
  param -= lr * velocity;
}

// One parameter's Adam update in TF1's form.
GANVAS_HD void adam_update(float& param, float& m, float& v, float grad, float step_size,
                           const AdamConfig& config) {
  m += (grad - m) * (1.0f - config.beta1);
  v += (grad * grad - v) * (1.0f - config.beta2);
  param -= step_size * m / (hd_sqrt(v) + config.epsilon);
}

}  // namespace ganvas
