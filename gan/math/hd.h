// Marks functions that nvcc compiles for both host and device; plain inline functions elsewhere.
#pragma once

#if defined(__CUDACC__)
#define GANVAS_HD __host__ __device__ __forceinline__
#else
#define GANVAS_HD inline
#endif
