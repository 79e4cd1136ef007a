// Sampling the generator on the CPU and writing the digit canvas as PNG.
#include "gan/model/sampler.h"

#include <algorithm>
#include <cmath>

#include "gan/model/cpu_ops.h"
#include "gan/math/gan_math.h"
#include "common/error.h"
#include "gan/math/philox.h"
#include "common/png.h"

namespace ganvas {

std::vector<float> sample_latents(uint64_t seed, int n, int noise) {
  std::vector<float> z(static_cast<size_t>(n) * noise);
  for (size_t i = 0; i < z.size(); ++i) z[i] = noise_value(seed, 0, RngStream::kSample, i);
  return z;
}

std::vector<float> model_latents(const ModelShape& shape, uint64_t seed, int n, const std::vector<int>& digits,
                                 int columns) {
  const std::vector<float> noise = sample_latents(seed, n, shape.noise);
  if (!shape.conditional()) return noise;
  GANVAS_CHECK(columns >= 1, "a grid has at least one column");
  std::vector<float> z(static_cast<size_t>(n) * shape.latent(), 0.0f);
  for (int i = 0; i < n; ++i) {
    float* row = z.data() + static_cast<size_t>(i) * shape.latent();
    std::copy(noise.begin() + static_cast<std::ptrdiff_t>(i) * shape.noise,
              noise.begin() + static_cast<std::ptrdiff_t>(i + 1) * shape.noise, row);
    const int digit = digits.empty() ? i / columns % shape.classes : digits[static_cast<size_t>(i) % digits.size()];
    GANVAS_CHECK(digit >= 0 && digit < shape.classes, "a digit outside the model's classes");
    row[shape.noise + digit] = 1.0f;
  }
  return z;
}

int latent_digit(const ModelShape& shape, const float* latent) {
  const float* condition = latent + shape.noise;
  return static_cast<int>(std::max_element(condition, condition + shape.classes) - condition);
}

std::vector<float> generate_images(const GanState& state, const std::vector<float>& z, int n) {
  return generate_images(state.shape, state.sampling_generator(), z, n);
}

std::vector<float> generate_images(const ModelShape& shape, const std::vector<float>& generator,
                                   const std::vector<float>& z, int n) {
  std::vector<float> hidden, images;
  generate_images_into(shape, generator, z, n, hidden, images);
  return images;
}

void generate_images_into(const ModelShape& shape, const std::vector<float>& generator, const std::vector<float>& z,
                          int n, std::vector<float>& hidden, std::vector<float>& images) {
  const MlpShape g = shape.generator();
  GANVAS_CHECK(generator.size() == g.size(), "the generator's parameters do not match its shape");
  GANVAS_CHECK(z.size() == static_cast<size_t>(n) * g.in, "latents do not match the generator's input size");
  hidden.resize(g.hidden_values(n));
  images.resize(static_cast<size_t>(n) * g.out);
  cpu::generator_forward(g, generator.data(), z.data(), n, hidden.data(), images.data());
}

std::vector<float> latent_conditions(const ModelShape& shape, const std::vector<float>& latents, int n) {
  GANVAS_CHECK(latents.size() >= static_cast<size_t>(n) * shape.latent(), "too few latents");
  std::vector<float> conditions(static_cast<size_t>(n) * shape.classes);
  for (int i = 0; i < n; ++i) {
    const float* tail = latents.data() + static_cast<size_t>(i) * shape.latent() + shape.noise;
    std::copy(tail, tail + shape.classes, conditions.begin() + static_cast<std::ptrdiff_t>(i) * shape.classes);
  }
  return conditions;
}

std::vector<float> label_conditions(const ModelShape& shape, const uint8_t* labels, int n) {
  std::vector<float> conditions(static_cast<size_t>(n) * shape.classes, 0.0f);
  for (int i = 0; i < n && shape.conditional(); ++i) {
    GANVAS_CHECK(labels[i] < shape.classes, "a label outside the model's classes");
    conditions[static_cast<size_t>(i) * shape.classes + labels[i]] = 1.0f;
  }
  return conditions;
}

const float* discriminator_inputs(const ModelShape& shape, const std::vector<float>& images, int n,
                                  const std::vector<float>& conditions, std::vector<float>& joined) {
  GANVAS_CHECK(images.size() == static_cast<size_t>(n) * shape.image, "images do not match the model's image size");
  if (!shape.conditional()) return images.data();
  GANVAS_CHECK(conditions.size() == static_cast<size_t>(n) * shape.classes,
               "a conditional model's discriminator judges each image with its digit");
  const int width = shape.image + shape.classes;
  joined.resize(static_cast<size_t>(n) * width);
  for (int i = 0; i < n; ++i) {
    std::copy_n(images.begin() + static_cast<std::ptrdiff_t>(i) * shape.image, shape.image, joined.begin() + static_cast<std::ptrdiff_t>(i) * width);
    std::copy_n(conditions.begin() + static_cast<std::ptrdiff_t>(i) * shape.classes, shape.classes,
                joined.begin() + static_cast<std::ptrdiff_t>(i) * width + shape.image);
  }
  return joined.data();
}

std::vector<float> discriminator_scores(const ModelShape& shape, const std::vector<float>& discriminator,
                                        const std::vector<float>& images, int n, const std::vector<float>& conditions) {
  const MlpShape d = shape.discriminator();
  GANVAS_CHECK(discriminator.size() == d.size(), "the discriminator's parameters do not match its shape");
  std::vector<float> joined;
  const float* inputs = discriminator_inputs(shape, images, n, conditions, joined);
  std::vector<float> hidden(d.hidden_values(n));
  std::vector<float> scores(static_cast<size_t>(n));
  cpu::discriminator_logits(d, discriminator.data(), inputs, n, hidden.data(), scores.data());
  for (float& score : scores) score = sigmoid(score);
  return scores;
}

std::vector<float> tile_images(const std::vector<float>& images, int columns, int rows) {
  const size_t cell = static_cast<size_t>(kImageSide) * kImageSide;
  GANVAS_CHECK(images.size() >= static_cast<size_t>(columns) * rows * cell, "too few images for the tiling");
  const int width = columns * kImageSide;
  std::vector<float> pixels(static_cast<size_t>(width) * rows * kImageSide);
  for (int i = 0; i < columns * rows; ++i) {
    const float* image = images.data() + static_cast<size_t>(i) * cell;
    const int x0 = (i % columns) * kImageSide, y0 = (i / columns) * kImageSide;
    for (int y = 0; y < kImageSide; ++y) {
      std::copy(image + y * kImageSide, image + (y + 1) * kImageSide,
                pixels.begin() + static_cast<std::ptrdiff_t>(y0 + y) * width + x0);
    }
  }
  return pixels;
}

std::vector<uint8_t> grid_pixels(const std::vector<float>& images, int n, bool invert) {
  const std::vector<float> tiled = tile_images(images, n, n);
  std::vector<uint8_t> pixels(tiled.size());
  std::transform(tiled.begin(), tiled.end(), pixels.begin(), [invert](float g) { return pixel_byte(g, invert); });
  return pixels;
}

void write_grid_png(const std::string& path, const std::vector<float>& images, int n, bool invert) {
  const std::vector<uint8_t> pixels = grid_pixels(images, n, invert);
  write_png(path, pixels.data(), n * kImageSide, n * kImageSide, 1);
}

double mean_intensity(const float* images, size_t count) {
  double sum = 0;
  for (size_t i = 0; i < count; ++i) sum += images[i];
  return count ? sum / static_cast<double>(count) : 0.0;
}

}  // namespace ganvas
