// Sampling the generator on the CPU and writing the digit canvas as PNG.
#include "gan/sampler.h"

#include <cmath>

#include "gan/cpu/cpu_ops.h"
#include "gan/gan_math.h"
#include "common/error.h"
#include "gan/philox.h"
#include "common/png.h"

namespace ganvas {

std::vector<float> sample_latents(uint64_t seed, int n, int noise) {
  std::vector<float> z(static_cast<size_t>(n) * noise);
  for (size_t i = 0; i < z.size(); ++i) z[i] = noise_value(seed, 0, RngStream::kSample, i);
  return z;
}

std::vector<float> generate_images(const GanState& state, const std::vector<float>& z, int n) {
  return generate_images(state.shape, state.generator.params, z, n);
}

std::vector<float> generate_images(const ModelShape& shape, const std::vector<float>& generator,
                                   const std::vector<float>& z, int n) {
  const MlpShape g = shape.generator();
  GANVAS_CHECK(generator.size() == g.size(), "the generator's parameters do not match its shape");
  GANVAS_CHECK(z.size() == static_cast<size_t>(n) * g.in, "latents do not match the generator's input size");
  std::vector<float> hidden(static_cast<size_t>(n) * g.hidden);
  std::vector<float> images(static_cast<size_t>(n) * g.out);
  cpu::generator_forward(g, generator.data(), z.data(), n, hidden.data(), images.data());
  return images;
}

std::vector<float> discriminator_scores(const ModelShape& shape, const std::vector<float>& discriminator,
                                        const std::vector<float>& images, int n) {
  const MlpShape d = shape.discriminator();
  GANVAS_CHECK(discriminator.size() == d.size(), "the discriminator's parameters do not match its shape");
  GANVAS_CHECK(images.size() == static_cast<size_t>(n) * d.in, "images do not match the discriminator's input size");
  std::vector<float> hidden(static_cast<size_t>(n) * d.hidden);
  std::vector<float> scores(static_cast<size_t>(n));
  cpu::discriminator_logits(d, discriminator.data(), images.data(), n, hidden.data(), scores.data());
  for (float& score : scores) score = sigmoid(score);
  return scores;
}

std::vector<uint8_t> grid_pixels(const std::vector<float>& images, int n, bool invert) {
  const int width = n * kImageSide;
  GANVAS_CHECK(images.size() >= static_cast<size_t>(n) * n * kImageSide * kImageSide, "too few images for the grid");
  std::vector<uint8_t> pixels(static_cast<size_t>(width) * width);
  for (int cell = 0; cell < n * n; ++cell) {
    const float* image = images.data() + static_cast<size_t>(cell) * kImageSide * kImageSide;
    const int x0 = (cell % n) * kImageSide;
    const int y0 = (cell / n) * kImageSide;
    for (int y = 0; y < kImageSide; ++y) {
      for (int x = 0; x < kImageSide; ++x) {
        float g = std::fmin(1.0f, std::fmax(0.0f, image[y * kImageSide + x]));
        if (invert) g = 1.0f - g;
        pixels[static_cast<size_t>(y0 + y) * width + x0 + x] = static_cast<uint8_t>(std::lround(g * 255.0f));
      }
    }
  }
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
