// The latent explorer's state and math: anchors A and B, the point at t on the path between them,
// the strip of images from A to B, the principal directions around the point, and the ways the
// point moves by itself (animate, walk on, random walk). No GL and no ImGui: panels and renderer
// read it and change it through these calls, and unit tests drive it alone.
#pragma once

#include <cstdint>
#include <vector>

#include "gan/model/latent.h"

namespace ganvas {

class LatentExplorer {
 public:
  static constexpr int kDirections = 5;

  // Anchors A and B from the first two of `grid` latents ([cells, latent]), cells 0 and 1. A
  // conditional model's latents end in `classes` condition entries: random latents get a one-hot
  // digit there and the random walk leaves them be; interpolation morphs one digit into another.
  LatentExplorer(const std::vector<float>& grid, int latent, int strip, int classes = 0);

  int noise() const { return noise_; }  // the latent's whole width

  // Anchors: which = 0 is A, 1 is B; `cell` is the grid cell it came from, -1 for a random latent.
  const Latent& anchor(int which) const { return anchors_[which]; }
  int anchor_cell(int which) const { return anchor_cells_[which]; }
  void set_anchor(int which, const Latent& z, int cell);
  // A fresh random latent as the anchor.
  void randomize_anchor(int which);
  // The grid was drawn anew: the anchors keep their latents but no longer sit on it.
  void forget_anchor_cells() { anchor_cells_[0] = anchor_cells_[1] = -1; }

  // The path from A (t = 0) to B (t = 1): spherical or straight.
  float t() const { return t_; }
  void set_t(float t);
  bool spherical() const { return spherical_; }
  void set_spherical(bool spherical);
  Latent path_point(float t) const;
  // The strip: `strip()` images evenly spaced from A to B.
  int strip() const { return strip_; }
  void set_strip(int images);
  // The strip's latents, one after another ([strip, noise]).
  std::vector<float> strip_latents() const;

  // The point shown in the explorer: the base (on the path, or where it was last rebased) moved by
  // the direction amounts.
  const Latent& point() const { return point_; }
  const Latent& base() const { return base_; }
  void set_coordinate(size_t dimension, float value);  // rebases there
  void reset_point() { rebase(path_point(t_)); }        // back onto the path at t
  void rebase_at_point() { rebase(Latent(point_)); }    // the moved point becomes the base

  // Principal directions around the base and how far the point goes along each.
  const std::vector<LatentDirection>& directions() const { return directions_; }
  float amount(int i) const { return amounts_[static_cast<size_t>(i)]; }
  void set_amount(int i, float amount);
  bool amounts_at_rest() const;
  // Directions computed around `around` from the weights of `step`, arriving at `time` (seconds);
  // ignored when the base has moved since.
  void set_directions(std::vector<LatentDirection> directions, const Latent& around, uint64_t step, double time);
  // Whether directions should be computed now: none yet for this base, or older than the weights
  // by 2 seconds while the direction sliders rest and the point is not moving by itself.
  bool wants_directions(uint64_t step, double time) const;

  // Motion by itself, each frame by `delta` seconds.
  bool animating() const { return animate_; }
  void set_animating(bool on) { animate_ = on; }
  bool random_walking() const { return random_walk_; }
  void set_random_walking(bool on) { random_walk_ = on; }
  float walk_speed() const { return walk_speed_; }
  void set_walk_speed(float speed) { walk_speed_ = speed; }
  // Animation (t swings between A and B) and the random walk, as their switches ask.
  void advance(double delta, uint64_t frame);
  // Scripted recordings: A to B in two seconds, then B becomes A and a new B is drawn. The point then
  // moves every frame, so directions are no longer wanted.
  void walk_on(double delta);

  // Grows with every change of what the images show.
  uint64_t revision() const { return revision_; }

 private:
  void rebase(Latent base);
  void move_along_directions();
  void random_step(double delta, uint64_t frame);
  Latent random_latent(uint64_t salt);

  int noise_;
  int classes_;
  Latent anchors_[2];
  int anchor_cells_[2] = {0, 1};
  float t_ = 0.5f;
  bool spherical_ = true;
  int strip_;
  Latent base_, point_;
  std::vector<LatentDirection> directions_;
  std::vector<float> amounts_ = std::vector<float>(kDirections, 0.0f);
  uint64_t directions_step_ = ~0ull;  // ~0: none for this base
  double directions_time_ = 0;
  bool animate_ = false;
  double animate_time_ = 0;
  bool random_walk_ = false;
  bool scripted_walk_ = false;
  float walk_speed_ = 0.5f;
  uint64_t latent_seed_ = 1;
  uint64_t revision_ = 0;
};

}  // namespace ganvas
