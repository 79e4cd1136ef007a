// Latents, generator images and the tutorial's n x n digit canvas as a PNG.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "gan/model/model.h"

namespace ganvas {

// n latents [n, noise], uniform in [-1, 1), fixed by the seed.
std::vector<float> sample_latents(uint64_t seed, int n, int noise);

// n whole inputs of the model's generator [n, shape.latent()]: the noise sample_latents gives and,
// for a conditional model, the one-hot vector of a digit: digits[i % digits.size()], or, with no
// digits given, i / columns % classes (a grid `columns` wide shows one digit per row).
std::vector<float> model_latents(const ModelShape& shape, uint64_t seed, int n, const std::vector<int>& digits = {},
                                 int columns = 1);

// The digit a conditional model's latent asks for (the largest of its condition entries).
int latent_digit(const ModelShape& shape, const float* latent);

// The generator of `state` (its average when it keeps one) on latents z [n, latent]: images [n, 784]
// in [0, 1] (on the CPU).
std::vector<float> generate_images(const GanState& state, const std::vector<float>& z, int n);
// The same from the generator's parameters alone (a live snapshot's), checked against the shape.
std::vector<float> generate_images(const ModelShape& shape, const std::vector<float>& generator,
                                   const std::vector<float>& z, int n);
// The same into buffers the caller keeps from call to call (resized; their memory is reused).
void generate_images_into(const ModelShape& shape, const std::vector<float>& generator, const std::vector<float>& z,
                          int n, std::vector<float>& hidden, std::vector<float>& images);

// The conditions [n, classes] of n latents (their one-hot tails), or of n labels. Empty for an
// unconditional model.
std::vector<float> latent_conditions(const ModelShape& shape, const std::vector<float>& latents, int n);
std::vector<float> label_conditions(const ModelShape& shape, const uint8_t* labels, int n);

// D's inputs [n, image + classes]: each image joined to its condition, written into `joined`; an
// unconditional model's D takes the images as they are (no copy: their own data is returned).
const float* discriminator_inputs(const ModelShape& shape, const std::vector<float>& images, int n,
                                  const std::vector<float>& conditions, std::vector<float>& joined);

// D's belief that each of n images [n, 784] is real: sigmoid of its logit (on the CPU). A
// conditional model's D judges each image with its condition [n, classes].
std::vector<float> discriminator_scores(const ModelShape& shape, const std::vector<float>& discriminator,
                                        const std::vector<float>& images, int n,
                                        const std::vector<float>& conditions = {});

// Images [columns * rows, side * side] laid out as one (columns*side) x (rows*side) image, row-major
// cells from the top-left, no padding.
std::vector<float> tile_images(const std::vector<float>& images, int columns, int rows);

// A generator pixel (clamped to [0, 1]) as a byte; with `invert`, 1 - g as the tutorial shows it.
inline uint8_t pixel_byte(float g, bool invert) {
  g = g < 0.0f ? 0.0f : (g > 1.0f ? 1.0f : g);
  return static_cast<uint8_t>(std::lround((invert ? 1.0f - g : g) * 255.0f));
}

// The tutorial's canvas: an (n*28) x (n*28) grey image, row-major cells, no padding; with
// `invert`, pixels are 1 - g as the tutorial shows them.
std::vector<uint8_t> grid_pixels(const std::vector<float>& images, int n, bool invert);

// Writes the canvas atomically.
void write_grid_png(const std::string& path, const std::vector<float>& images, int n, bool invert);

// Mean pixel intensity of images in [0, 1].
double mean_intensity(const float* images, size_t count);

}  // namespace ganvas
