// The tiled product kernel and its launches, plain or with programmatic dependent launch.
#include "bench/cuda_variants/tiled_kernel.cuh"

#include <string>

#include "gan/backends/cuda/cuda_check.h"

namespace ganvas::cuda_variants {
namespace {

// With PDL a kernel may start while the one before it in its stream is finishing: it waits for that
// grid to complete and its writes to be visible before it reads or writes memory. Launched without
// the attribute, the wait returns at once.
__device__ __forceinline__ void wait_for_prior_grids() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

// One block per tile of C (gridDim = row_blocks x column_blocks), kTileThreads threads, the phases of
// tiled_product.h between barriers; the next tiles are read while the current ones are added up.
__global__ void __launch_bounds__(kTileThreads) tiled_product_kernel(TiledProduct p) {
  wait_for_prior_grids();
  __shared__ TileMemory memory;
  ThreadSums sums;
  TileLoads loads;
  const int block_row = static_cast<int>(blockIdx.x), block_col = static_cast<int>(blockIdx.y);
  const int t = static_cast<int>(threadIdx.x);
  if (p.k > 0) fetch_tiles(p, block_row, block_col, 0, t, loads);
  for (int k0 = 0; k0 < p.k; k0 += kTileDepth) {
    store_tiles(p, t, loads, memory);
    __syncthreads();
    if (k0 + kTileDepth < p.k) fetch_tiles(p, block_row, block_col, k0 + kTileDepth, t, loads);  // in flight meanwhile
    accumulate_tiles(memory, t, sums);
    __syncthreads();  // the next tiles overwrite these
  }
  store_outputs(p, block_row, block_col, t, sums);
}

}  // namespace

bool programmatic_launch_supported() {
  static const bool supported = [] {
    int device = 0, major = 0;
    cudaFuncAttributes kernel = {};
    const bool yes = cudaGetDevice(&device) == cudaSuccess &&
                     cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) == cudaSuccess &&
                     major >= 9 && cudaFuncGetAttributes(&kernel, tiled_product_kernel) == cudaSuccess &&
                     kernel.ptxVersion >= 90;
    (void)cudaGetLastError();  // a query that failed leaves no error behind
    return yes;
  }();
  return supported;
}

void launch_tiled_product(cudaStream_t stream, const TiledProduct& product, Launch launch) {
  if (product.m == 0 || product.columns() == 0) return;
  cudaLaunchConfig_t config = {};
  // Rows, which a sampler's batch can make many, on x: up to 2^31 - 1 blocks there, 65,535 on y.
  config.gridDim = dim3(static_cast<unsigned>(product.row_blocks()), static_cast<unsigned>(product.column_blocks()));
  config.blockDim = dim3(kTileThreads);
  config.stream = stream;
  cudaLaunchAttribute overlap = {};
  overlap.id = cudaLaunchAttributeProgrammaticStreamSerialization;
  overlap.val.programmaticStreamSerializationAllowed = 1;
  if (launch == Launch::kProgrammatic && programmatic_launch_supported()) {
    config.attrs = &overlap;
    config.numAttrs = 1;
  }
  const cudaError_t status = cudaLaunchKernelEx(&config, tiled_product_kernel, product);
  if (status != cudaSuccess) {
    (void)cudaGetLastError();
    GANVAS_THROW(cuda::cuda_error_message(status, "launch of tiled_product_kernel"));
  }
}

void launch_tiled_products(cudaStream_t stream, const std::vector<TiledProduct>& products, Launch launch) {
  for (const TiledProduct& product : products) launch_tiled_product(stream, product, launch);
}

}  // namespace ganvas::cuda_variants
