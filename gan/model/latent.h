// Latent-space math for exploring a generator: interpolation and the directions that matter most.
#pragma once

#include <vector>

#include "gan/model/model.h"

namespace ganvas {

using Latent = std::vector<float>;

// (1 - t) a + t b.
Latent lerp(const Latent& a, const Latent& b, float t);

// Spherical interpolation: constant angular speed from a to b, norms interpolated linearly. Falls
// back to lerp when a and b are (anti)parallel or one is zero.
Latent slerp(const Latent& a, const Latent& b, float t);

// A principal direction of the generator around a latent: a unit vector in latent space and how
// strongly the image changes along it (the singular value of G's Jacobian).
struct LatentDirection {
  Latent direction;
  float strength = 0;
};

// The k latent directions along which G's output changes most at z: the top right-singular vectors
// of G's Jacobian (central differences), orthonormal, strongest first.
std::vector<LatentDirection> principal_directions(const GanState& state, const Latent& z, int k);
// The same from the generator's parameters alone (a live snapshot's).
std::vector<LatentDirection> principal_directions(const ModelShape& shape, const std::vector<float>& generator,
                                                  const Latent& z, int k);

// The top k eigenvectors (as rows) and eigenvalues of the symmetric n x n matrix `a` (row-major),
// by cyclic Jacobi rotations; eigenvalues in decreasing order.
void symmetric_eigen(std::vector<double> a, int n, int k, std::vector<std::vector<double>>& vectors,
                     std::vector<double>& values);

}  // namespace ganvas
