// Latents, generator images and the tutorial's n x n digit canvas as a PNG.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gan/model.h"

namespace ganvas {

// n latents [n, noise], uniform in [-1, 1), fixed by the seed.
std::vector<float> sample_latents(uint64_t seed, int n, int noise);

// The generator of `state` on latents z [n, noise]: images [n, 784] in [0, 1] (on the CPU).
std::vector<float> generate_images(const GanState& state, const std::vector<float>& z, int n);
// The same from the generator's parameters alone (a live snapshot's), checked against the shape.
std::vector<float> generate_images(const ModelShape& shape, const std::vector<float>& generator,
                                   const std::vector<float>& z, int n);

// D's belief that each of n images [n, 784] is real: sigmoid of its logit (on the CPU).
std::vector<float> discriminator_scores(const ModelShape& shape, const std::vector<float>& discriminator,
                                        const std::vector<float>& images, int n);

// The tutorial's canvas: an (n*28) x (n*28) grey image, row-major cells, no padding; with
// `invert`, pixels are 1 - g as the tutorial shows them.
std::vector<uint8_t> grid_pixels(const std::vector<float>& images, int n, bool invert);

// Writes the canvas atomically.
void write_grid_png(const std::string& path, const std::vector<float>& images, int n, bool invert);

// Mean pixel intensity of images in [0, 1].
double mean_intensity(const float* images, size_t count);

}  // namespace ganvas
