// The CPU backend's two cores: the matrix products and the element-wise passes of a step, each cut
// into parts that the calling thread and one helper thread take in turn.
//
// With OpenBLAS's own threads, a second core waits (spinning) between products while the first
// runs the passes alone, and a thread of ganvas's own on that core had to compete with it. So with
// two threads ganvas runs OpenBLAS on one, and shares everything itself (cpu_ops.cpp).
#pragma once

#include <algorithm>
#include <cstddef>

namespace ganvas::cpu {

// Handles part `index` of a piece of work; `context` is what run_shared_parts was given.
using PartFn = void (*)(const void* context, size_t index);

// Runs part(context, i) for every i in [0, count), on the calling thread and, when sharing is on,
// on the helper thread too: each takes the next part not yet taken. The caller never waits for the
// helper to start, only for a part the helper has begun, so a helper kept off the CPU costs the work
// nothing. A caller arriving while another caller shares work runs its own alone.
void run_shared_parts(size_t count, PartFn part, const void* context);

template <class Body>
void run_shared_parts(size_t count, const Body& body) {
  run_shared_parts(count, [](const void* context, size_t index) { (*static_cast<const Body*>(context))(index); },
                   &body);
}

// Runs body(begin, end) over [0, n) in parts of `per_part` (the last may be shorter), shared as above.
template <class Body>
void run_shared_range(size_t n, size_t per_part, const Body& body) {
  run_shared_parts((n + per_part - 1) / per_part, [&](size_t part) {
    const size_t begin = part * per_part;
    body(begin, std::min(n, begin + per_part));
  });
}

// Sharing is on when ganvas trains on two threads (set_blas_threads).
void set_work_sharing(bool on);
bool work_sharing();

}  // namespace ganvas::cpu
