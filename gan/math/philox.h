// Counter-based random numbers (Philox4x32-10) keyed by (seed, step, stream), shared by every backend.
//
// The same (seed, step) yields the same noise and the same batch on the CPU and on the GPU, so a
// training step is reproducible anywhere and the backends can be compared number for number.
#pragma once

#include <cstdint>

#include "gan/math/hd.h"

namespace ganvas {

struct Philox4x32 {
  uint32_t v[4];
};

GANVAS_HD uint32_t philox_mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
  const uint64_t product = static_cast<uint64_t>(a) * b;
  *hi = static_cast<uint32_t>(product >> 32);
  return static_cast<uint32_t>(product);
}

// Philox4x32 with 10 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3").
GANVAS_HD Philox4x32 philox4x32_10(Philox4x32 counter, uint32_t key0, uint32_t key1) {
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key0 += 0x9E3779B9u;
      key1 += 0xBB67AE85u;
    }
    uint32_t hi0, hi1;
    const uint32_t lo0 = philox_mulhilo(0xD2511F53u, counter.v[0], &hi0);
    const uint32_t lo1 = philox_mulhilo(0xCD9E8D57u, counter.v[2], &hi1);
    counter = {{hi1 ^ counter.v[1] ^ key0, lo1, hi0 ^ counter.v[3] ^ key1, lo0}};
  }
  return counter;
}

// Independent streams of one seed: each use of randomness draws from its own.
enum class RngStream : uint32_t {
  kNoise = 1,      // z of each training step
  kShuffle = 2,    // the order of the training images, per epoch
  kInit = 3,       // initial weights
  kSample = 4,     // latents for sampling and the visualizer
  kLabel = 5,      // the digit of each fake of a conditional model's training step
};

// Four random words for block `block` of (seed, step, stream).
GANVAS_HD Philox4x32 random_block(uint64_t seed, uint64_t step, RngStream stream, uint32_t block) {
  const Philox4x32 counter = {{block, static_cast<uint32_t>(step), static_cast<uint32_t>(step >> 32),
                               static_cast<uint32_t>(stream)}};
  return philox4x32_10(counter, static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32));
}

// A float in [0, 1) from the top 24 bits of a random word.
GANVAS_HD float uniform01(uint32_t word) { return static_cast<float>(word >> 8) * (1.0f / 16777216.0f); }

// A float in [-1, 1): the tutorial's noise distribution.
GANVAS_HD float uniform_pm1(uint32_t word) { return 2.0f * uniform01(word) - 1.0f; }

// Element `index` of the uniform [-1, 1) noise drawn for (seed, step, stream).
GANVAS_HD float noise_value(uint64_t seed, uint64_t step, RngStream stream, uint64_t index) {
  const Philox4x32 block = random_block(seed, step, stream, static_cast<uint32_t>(index / 4));
  return uniform_pm1(block.v[index % 4]);
}

// One round of a balanced Feistel network over `2 * half_bits` bits.
GANVAS_HD uint32_t feistel_round(uint32_t x, uint32_t half_bits, uint32_t round, uint64_t seed,
                                 uint64_t epoch) {
  const uint32_t mask = (1u << half_bits) - 1u;
  const uint32_t left = x >> half_bits;
  const uint32_t right = x & mask;
  const Philox4x32 f = random_block(seed ^ (epoch << 8), epoch, RngStream::kShuffle,
                                    (round << 24) ^ right);
  return (right << half_bits) | ((left ^ f.v[0]) & mask);
}

// Position `i` of a random permutation of [0, n) fixed by (seed, epoch): a Feistel bijection over
// the next power of four, walked until it lands inside [0, n). Needs no table, so host and device
// compute any batch's indices independently.
GANVAS_HD uint32_t shuffled_index(uint64_t seed, uint64_t epoch, uint32_t i, uint32_t n) {
  uint32_t bits = 2;
  while ((1u << bits) < n) bits += 2;
  const uint32_t half_bits = bits / 2;
  uint32_t x = i;
  do {
    for (uint32_t round = 0; round < 4; ++round) x = feistel_round(x, half_bits, round, seed, epoch);
  } while (x >= n);
  return x;
}

// Which of the n training images is row `row` of training step `step`: the images are read in a
// shuffled order, reshuffled every epoch, batch after batch, as the tutorial's loader does.
GANVAS_HD uint32_t batch_image_index(uint64_t seed, uint64_t step, uint32_t row, uint32_t batch,
                                     uint32_t n) {
  const uint64_t position = step * batch + row;
  return shuffled_index(seed, position / n, static_cast<uint32_t>(position % n), n);
}

}  // namespace ganvas
