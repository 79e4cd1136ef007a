// Interpolation in latent space and the generator's principal latent directions.
#include "gan/model/latent.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/error.h"
#include "gan/model/sampler.h"

namespace ganvas {

Latent lerp(const Latent& a, const Latent& b, float t) {
  GANVAS_CHECK(a.size() == b.size(), "latents of different sizes cannot be interpolated");
  Latent out(a.size());
  for (size_t i = 0; i < a.size(); ++i) out[i] = (1.0f - t) * a[i] + t * b[i];
  return out;
}

Latent slerp(const Latent& a, const Latent& b, float t) {
  GANVAS_CHECK(a.size() == b.size(), "latents of different sizes cannot be interpolated");
  double na = 0, nb = 0, dot = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    na += double(a[i]) * a[i];
    nb += double(b[i]) * b[i];
    dot += double(a[i]) * b[i];
  }
  na = std::sqrt(na);
  nb = std::sqrt(nb);
  if (na == 0 || nb == 0) return lerp(a, b, t);
  const double cosine = std::clamp(dot / (na * nb), -1.0, 1.0);
  const double angle = std::acos(cosine);
  if (std::sin(angle) < 1e-6) return lerp(a, b, t);
  // Walk the great circle between the unit vectors, then scale to the interpolated norm.
  const double wa = std::sin((1 - t) * angle) / std::sin(angle) / na;
  const double wb = std::sin(t * angle) / std::sin(angle) / nb;
  const double norm = (1 - t) * na + t * nb;
  Latent out(a.size());
  for (size_t i = 0; i < a.size(); ++i) out[i] = static_cast<float>(norm * (wa * a[i] + wb * b[i]));
  return out;
}

void symmetric_eigen(std::vector<double> a, int n, int k, std::vector<std::vector<double>>& vectors,
                     std::vector<double>& values) {
  std::vector<double> v(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i) * n + i] = 1.0;
  const auto at = [n](std::vector<double>& m, int r, int c) -> double& { return m[static_cast<size_t>(r) * n + c]; };
  for (int sweep = 0; sweep < 50; ++sweep) {
    double off = 0;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) off += at(a, p, q) * at(a, p, q);
    }
    if (off < 1e-22) break;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        const double apq = at(a, p, q);
        if (std::abs(apq) < 1e-300) continue;
        // The rotation that zeroes a[p][q].
        const double theta = (at(a, q, q) - at(a, p, p)) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int r = 0; r < n; ++r) {  // columns p and q
          const double arp = at(a, r, p), arq = at(a, r, q);
          at(a, r, p) = c * arp - s * arq;
          at(a, r, q) = s * arp + c * arq;
        }
        for (int r = 0; r < n; ++r) {  // rows p and q
          const double apr = at(a, p, r), aqr = at(a, q, r);
          at(a, p, r) = c * apr - s * aqr;
          at(a, q, r) = s * apr + c * aqr;
        }
        for (int r = 0; r < n; ++r) {
          const double vrp = at(v, r, p), vrq = at(v, r, q);
          at(v, r, p) = c * vrp - s * vrq;
          at(v, r, q) = s * vrp + c * vrq;
        }
      }
    }
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int x, int y) { return at(a, x, x) > at(a, y, y); });
  vectors.clear();
  values.clear();
  for (int i = 0; i < std::min(k, n); ++i) {
    std::vector<double> column(n);
    for (int r = 0; r < n; ++r) column[r] = at(v, r, order[i]);
    vectors.push_back(std::move(column));
    values.push_back(at(a, order[i], order[i]));
  }
}

std::vector<LatentDirection> principal_directions(const GanState& state, const Latent& z, int k) {
  return principal_directions(state.shape, state.generator.params, z, k);
}

std::vector<LatentDirection> principal_directions(const ModelShape& shape, const std::vector<float>& generator,
                                                  const Latent& z, int k) {
  const int d = shape.latent();
  GANVAS_CHECK(static_cast<int>(z.size()) == d, "the latent does not match the generator's input size");
  // Central differences: rows 2i and 2i+1 are z + h e_i and z - h e_i, all in one generator pass.
  const float h = 1e-2f;
  std::vector<float> probes(static_cast<size_t>(2 * d) * d);
  for (int i = 0; i < d; ++i) {
    std::copy(z.begin(), z.end(), probes.begin() + static_cast<std::ptrdiff_t>(2 * i) * d);
    std::copy(z.begin(), z.end(), probes.begin() + static_cast<std::ptrdiff_t>(2 * i + 1) * d);
    probes[static_cast<size_t>(2 * i) * d + i] += h;
    probes[static_cast<size_t>(2 * i + 1) * d + i] -= h;
  }
  const std::vector<float> images = generate_images(shape, generator, probes, 2 * d);
  const int pixels = shape.image;
  std::vector<double> jacobian(static_cast<size_t>(d) * pixels);  // row i: d G / d z_i
  for (int i = 0; i < d; ++i) {
    for (int p = 0; p < pixels; ++p) {
      jacobian[static_cast<size_t>(i) * pixels + p] =
          (double(images[static_cast<size_t>(2 * i) * pixels + p]) - images[static_cast<size_t>(2 * i + 1) * pixels + p]) /
          (2.0 * h);
    }
  }
  std::vector<double> gram(static_cast<size_t>(d) * d);  // J^T J
  for (int i = 0; i < d; ++i) {
    for (int j = i; j < d; ++j) {
      double sum = 0;
      for (int p = 0; p < pixels; ++p) sum += jacobian[static_cast<size_t>(i) * pixels + p] * jacobian[static_cast<size_t>(j) * pixels + p];
      gram[static_cast<size_t>(i) * d + j] = gram[static_cast<size_t>(j) * d + i] = sum;
    }
  }
  std::vector<std::vector<double>> vectors;
  std::vector<double> values;
  symmetric_eigen(std::move(gram), d, k, vectors, values);
  std::vector<LatentDirection> directions;
  for (size_t i = 0; i < vectors.size(); ++i) {
    directions.push_back({Latent(vectors[i].begin(), vectors[i].end()),
                          static_cast<float>(std::sqrt(std::max(0.0, values[i])))});
  }
  return directions;
}

}  // namespace ganvas
