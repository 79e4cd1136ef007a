// libFuzzer target: Adam's state as a checkpoint carries it (step counters, powers of the betas,
// beta1, both moments), from the fuzz input, in a small model's checkpoint. A state the loader
// accepts must take one Adam step with finite results and come back whole from an F32 file and,
// where its weights fit F16's range, from an F16 one.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common/error.h"
#include "gan/io/checkpoint.h"
#include "gan/math/gan_math.h"

namespace {

bool finite(const std::vector<float>& values) {
  for (float v : values) {
    if (!std::isfinite(v)) return false;
  }
  return true;
}

// Some of the net's moments from the input, as raw floats (NaN, infinities and negatives included).
void fuzz_moments(FuzzedDataProvider& input, ganvas::NetState& net) {
  for (std::vector<float>* moments : {&net.m, &net.v}) {
    const size_t count = input.ConsumeIntegralInRange<size_t>(0, 8);
    for (size_t k = 0; k < count; ++k) {
      const size_t index = input.ConsumeIntegralInRange<size_t>(0, moments->size() - 1);
      const uint32_t bits = input.ConsumeIntegral<uint32_t>();
      std::memcpy(&(*moments)[index], &bits, sizeof(bits));
    }
  }
}

void fuzz_counters(FuzzedDataProvider& input, ganvas::SafetensorsFile& file) {
  for (const char* key : {"step", "beta1", "optimizer.generator.t", "optimizer.generator.beta1_power",
                          "optimizer.generator.beta2_power", "optimizer.discriminator.t",
                          "optimizer.discriminator.beta1_power", "optimizer.discriminator.beta2_power"}) {
    if (input.ConsumeBool()) file.metadata[key] = input.ConsumeRandomLengthString(24);
  }
}

// One Adam step of the net with gradients of +-1, as both backends take it.
void adam_step(ganvas::NetState& net, float beta1) {
  ganvas::AdamConfig config;
  config.beta1 = beta1;
  net.powers = ganvas::adam_next_powers(net.powers, config);
  const float step_size = ganvas::adam_step_size(config, net.powers);
  for (size_t i = 0; i < net.params.size(); ++i) {
    ganvas::adam_update(net.params[i], net.m[i], net.v[i], i % 2 ? 1.0f : -1.0f, step_size, config);
  }
}

bool same_net(const ganvas::NetState& a, const ganvas::NetState& b) {
  return a.params == b.params && a.m == b.m && a.v == b.v && a.powers.t == b.powers.t &&
         a.powers.beta1_power == b.powers.beta1_power && a.powers.beta2_power == b.powers.beta2_power;
}

bool same_state(const ganvas::GanState& a, const ganvas::GanState& b) {
  return same_net(a.generator, b.generator) && same_net(a.discriminator, b.discriminator) && a.step == b.step &&
         a.recipe.beta1 == b.recipe.beta1;
}

ganvas::GanState reloaded(const ganvas::GanState& state, bool half) {
  return ganvas::state_from_checkpoint(
      ganvas::parse_safetensors(ganvas::serialize_safetensors(ganvas::checkpoint_contents(state, true, half)), "again"),
      "again");
}

bool fits_half(const ganvas::GanState& state) {
  for (float w : state.generator.params) {
    if (std::fabs(w) >= 65504.0f) return false;
  }
  for (float w : state.discriminator.params) {
    if (std::fabs(w) >= 65504.0f) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider input(data, size);
  ganvas::ModelShape shape;
  shape.noise = 3;
  shape.hidden = 4;
  shape.disc_hidden = 2;
  ganvas::GanState written = ganvas::initial_state(shape, input.ConsumeIntegral<uint8_t>());
  fuzz_moments(input, written.generator);
  fuzz_moments(input, written.discriminator);
  ganvas::SafetensorsFile file = ganvas::checkpoint_contents(written);
  fuzz_counters(input, file);
  ganvas::GanState state;
  try {
    state = ganvas::state_from_checkpoint(ganvas::parse_safetensors(ganvas::serialize_safetensors(file), "fuzz input"), "fuzz input");
  } catch (const ganvas::Error&) {
    return 0;
  }
  if (!same_state(reloaded(state, false), state)) __builtin_trap();  // an accepted state comes back whole
  if (fits_half(state)) reloaded(state, true);                        // and loads from F16 (throws otherwise)
  for (ganvas::NetState* net : {&state.generator, &state.discriminator}) {
    adam_step(*net, state.recipe.beta1);
    if (!finite(net->params) || !finite(net->m) || !finite(net->v) || !std::isfinite(net->powers.beta1_power) ||
        !std::isfinite(net->powers.beta2_power) || net->powers.t <= 0) {
      __builtin_trap();  // accepted, yet one step gave NaN, Inf or a wrapped counter
    }
  }
  return 0;
}
