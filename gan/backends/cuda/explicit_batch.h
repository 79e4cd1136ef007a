// Pinned staging for the explicit batches of train_step_on: each batch is copied into one of two
// pinned slots and uploaded from there, so the host waits only for the upload of two batches ago.
#pragma once

#include <cuda_runtime.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "gan/backends/cuda/cuda_check.h"
#include "gan/backends/cuda/cuda_handles.h"
#include "gan/backends/cuda/device_buffer.h"

namespace ganvas::cuda {

class ExplicitBatchUploads {
 public:
  // Room for a batch's pixels, labels (0 where the model has none) and latents.
  ExplicitBatchUploads(size_t pixel_count, size_t label_count, size_t latent_count)
      : slots_{Slot(pixel_count, label_count, latent_count), Slot(pixel_count, label_count, latent_count)} {}

  // Copies the batch into the next slot and queues its upload into pixels, labels and latents on
  // `stream` (labels are read only when the slots have room for them).
  void stage(const uint8_t* x_u8, const uint8_t* labels, const float* z, cudaStream_t stream,
             DeviceBuffer<uint8_t>& pixels, DeviceBuffer<uint8_t>& label_buffer, DeviceBuffer<float>& latents) {
    Slot& slot = slots_[next_];
    next_ = (next_ + 1) % slots_.size();
    CUDA_CHECK(cudaEventSynchronize(slot.uploaded.get()));
    std::memcpy(slot.pixels.data(), x_u8, slot.pixels.bytes());
    std::memcpy(slot.latents.data(), z, slot.latents.bytes());
    pixels.upload_async(slot.pixels.data(), slot.pixels.size(), stream);
    latents.upload_async(slot.latents.data(), slot.latents.size(), stream);
    if (!slot.labels.empty()) {
      std::memcpy(slot.labels.data(), labels, slot.labels.bytes());
      label_buffer.upload_async(slot.labels.data(), slot.labels.size(), stream);
    }
    CUDA_CHECK(cudaEventRecord(slot.uploaded.get(), stream));
  }

 private:
  // One batch's pinned staging, and the event after which it may be refilled.
  struct Slot {
    Slot(size_t pixel_count, size_t label_count, size_t latent_count)
        : pixels(pixel_count, "an explicit batch's pixels"),
          labels(label_count, "an explicit batch's labels"),
          latents(latent_count, "an explicit batch's latents") {}
    PinnedBuffer<uint8_t> pixels;
    PinnedBuffer<uint8_t> labels;
    PinnedBuffer<float> latents;
    CudaEvent uploaded;
  };

  std::array<Slot, 2> slots_;
  size_t next_ = 0;
};

}  // namespace ganvas::cuda
