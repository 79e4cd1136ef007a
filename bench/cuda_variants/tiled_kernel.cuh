// The tiled product (tiled_product.h) as a CUDA kernel, launched plainly or with programmatic
// dependent launch (PDL): the two kernel variants ganvas_cuda_variants measures against the CUDA
// backend's cuBLAS layers. Nothing here is part of the backend.
#pragma once

#include <cuda_runtime.h>

#include "bench/cuda_variants/tiled_product.h"

namespace ganvas::cuda_variants {

// How a kernel goes out. kProgrammatic: with cudaLaunchAttributeProgrammaticStreamSerialization, so it
// is scheduled while the kernel before it in its stream finishes; it waits for that kernel
// (griddepcontrol.wait) before touching memory, so results are unchanged.
enum class Launch { kPlain, kProgrammatic };

// Whether this device and build can launch the tiled kernel with PDL: compute capability 9.0 or later,
// and the kernel's code for this device compiled for 9.0 or later (code JIT-compiled from older PTX
// has no wait, and must not be launched so). Otherwise kProgrammatic launches plainly.
bool programmatic_launch_supported();

// C = the product, one block per 32 x 32 tile of C (tiled_product.h), on `stream`. Throws
// ganvas::Error when the launch fails.
void launch_tiled_product(cudaStream_t stream, const TiledProduct& product, Launch launch = Launch::kPlain);

// Every product of `products` in order on `stream`.
void launch_tiled_products(cudaStream_t stream, const std::vector<TiledProduct>& products, Launch launch);

}  // namespace ganvas::cuda_variants
