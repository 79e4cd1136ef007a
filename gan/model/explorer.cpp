// The latent explorer: anchors, the path and its strip, the point, its directions and its motion.
#include "gan/model/explorer.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "gan/math/philox.h"
#include "gan/model/sampler.h"

namespace ganvas {

LatentExplorer::LatentExplorer(const std::vector<float>& grid, int noise, int strip, int classes)
    : noise_(noise), classes_(classes), strip_(strip) {
  GANVAS_CHECK(classes >= 0 && classes < noise, "the condition is part of the latent");
  GANVAS_CHECK(noise > 0 && grid.size() >= 2 * static_cast<size_t>(noise), "the explorer needs two latents to start");
  GANVAS_CHECK(strip >= 2, "the strip shows at least A and B");
  anchors_[0] = Latent(grid.begin(), grid.begin() + noise);
  anchors_[1] = Latent(grid.begin() + noise, grid.begin() + 2 * noise);
  reset_point();
}

void LatentExplorer::set_anchor(int which, const Latent& z, int cell) {
  GANVAS_CHECK(z.size() == static_cast<size_t>(noise_), "an anchor has the model's latent width");
  anchors_[which] = z;
  anchor_cells_[which] = cell;
  reset_point();
}

Latent LatentExplorer::random_latent(uint64_t salt) {
  const uint64_t seed = ++latent_seed_ * 7919 + salt;
  Latent z = sample_latents(seed, 1, noise_ - classes_);
  if (classes_ > 0) {  // a random digit's one-hot vector
    z.resize(static_cast<size_t>(noise_), 0.0f);
    z[static_cast<size_t>(noise_ - classes_) + seed % static_cast<uint64_t>(classes_)] = 1.0f;
  }
  return z;
}

void LatentExplorer::randomize_anchor(int which) { set_anchor(which, random_latent(static_cast<uint64_t>(which)), -1); }

void LatentExplorer::set_t(float t) {
  t_ = std::clamp(t, 0.0f, 1.0f);
  reset_point();
}

void LatentExplorer::set_spherical(bool spherical) {
  spherical_ = spherical;
  reset_point();
}

Latent LatentExplorer::path_point(float t) const {
  return spherical_ ? slerp(anchors_[0], anchors_[1], t) : lerp(anchors_[0], anchors_[1], t);
}

void LatentExplorer::set_strip(int images) {
  strip_ = std::max(2, images);
  ++revision_;
}

std::vector<float> LatentExplorer::strip_latents() const {
  std::vector<float> latents;
  latents.reserve(static_cast<size_t>(strip_) * noise_);
  for (int i = 0; i < strip_; ++i) {
    const Latent point = path_point(static_cast<float>(i) / static_cast<float>(strip_ - 1));
    latents.insert(latents.end(), point.begin(), point.end());
  }
  return latents;
}

void LatentExplorer::set_coordinate(size_t dimension, float value) {
  Latent moved = point_;
  moved.at(dimension) = value;
  rebase(std::move(moved));
}

void LatentExplorer::rebase(Latent base) {
  base_ = std::move(base);
  point_ = base_;
  amounts_.assign(kDirections, 0.0f);
  directions_step_ = ~0ull;  // recompute around the new base
  ++revision_;
}

void LatentExplorer::set_amount(int i, float amount) {
  amounts_.at(static_cast<size_t>(i)) = amount;
  move_along_directions();
}

bool LatentExplorer::amounts_at_rest() const {
  return std::all_of(amounts_.begin(), amounts_.end(), [](float a) { return a == 0.0f; });
}

void LatentExplorer::move_along_directions() {
  point_ = base_;
  for (size_t i = 0; i < directions_.size() && i < amounts_.size(); ++i) {
    for (size_t j = 0; j < point_.size(); ++j) point_[j] += amounts_[i] * directions_[i].direction[j];
  }
  ++revision_;
}

void LatentExplorer::set_directions(std::vector<LatentDirection> directions, const Latent& around, uint64_t step,
                                    double time) {
  if (around != base_) return;  // the point moved on while they were computed
  directions_ = std::move(directions);
  directions_step_ = step;
  directions_time_ = time;
  move_along_directions();
}

bool LatentExplorer::wants_directions(uint64_t step, double time) const {
  if (animate_ || random_walk_ || scripted_walk_) return false;  // the point moves every frame: not worth it
  if (directions_step_ == ~0ull) return true;
  return directions_step_ != step && time - directions_time_ > 2.0 && amounts_at_rest();
}

void LatentExplorer::advance(double delta, uint64_t frame) {
  if (animate_) {
    animate_time_ += delta;
    set_t(0.5f - 0.5f * static_cast<float>(std::cos(animate_time_ * 0.8)));
  }
  if (random_walk_) random_step(delta, frame);
}

// A step of expected length walk_speed per second, folded back into [-1, 1].
void LatentExplorer::random_step(double delta, uint64_t frame) {
  const float scale = walk_speed_ * static_cast<float>(delta) / std::sqrt(static_cast<float>(point_.size()));
  Latent moved = point_;
  for (size_t i = 0; i + classes_ < moved.size(); ++i) {  // the noise only: the digit stays
    float v = moved[i] + scale * 3.0f * noise_value(latent_seed_, frame, RngStream::kSample, i);
    if (v > 1) v = 2 - v;
    if (v < -1) v = -2 - v;
    moved[i] = v;
  }
  rebase(std::move(moved));
}

void LatentExplorer::walk_on(double delta) {
  scripted_walk_ = true;
  t_ += static_cast<float>(delta / 2.0);
  if (t_ >= 1.0f) {
    t_ -= 1.0f;
    anchors_[0] = anchors_[1];
    anchors_[1] = random_latent(3);
    forget_anchor_cells();
  }
  reset_point();
}

}  // namespace ganvas
