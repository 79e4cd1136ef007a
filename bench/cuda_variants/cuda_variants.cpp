// ganvas_cuda_variants: kernel variants of the CUDA backend that are not the backend's, kept apart as
// llm.c keeps its kernel variants in dev/cuda: the linear layers as tiled products of ganvas's own
// (tiled_product.h), and those products launched with programmatic dependent launch (PDL). Each is
// checked against the backend's cuBLAS layers and timed; ganvas itself never runs them.
//
// usage: ganvas_cuda_variants [BATCH [REPLAYS [VARIANT]]]
//   BATCH    rows of a step (128, the tutorial's); D's passes take twice as many
//   REPLAYS  repetitions of the step's layer work per timed run (2000; 5 runs, the median reported)
//   VARIANT  cublas, tiled, tiled-pdl or all (all)
// Prints the device; for each variant a check line (every output of the layer work against cuBLAS's,
// as its largest difference over its largest value, at most 1e-4; tiled-pdl against tiled and each
// graph replay against its variant's run, bit for bit) and a line of times, in microseconds per step's
// layer work (layer_passes.h), launched one by one and replayed as one CUDA graph:
//   variant=tiled batch=128 kernels=9 eager_us=41.0 graph_us=30.5
// Exit status 0; 1 when a check fails or CUDA does (no usable device included); 2 for usage.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench/cuda_variants/layer_passes.h"
#include "bench/cuda_variants/tiled_kernel.cuh"
#include "common/error.h"
#include "gan/backends/cuda/cuda_check.h"
#include "gan/backends/cuda/cuda_handles.h"

namespace {

using namespace ganvas;
using namespace ganvas::cuda_variants;
using Outputs = std::vector<StepLayers::Output>;

constexpr int kRuns = 5;
constexpr double kTolerance = 1e-4;  // of an output's largest magnitude

// A CUDA event that keeps time.
struct TimingEvent {
  TimingEvent() { CUDA_CHECK(cudaEventCreate(&event)); }
  ~TimingEvent() { cudaEventDestroy(event); }
  TimingEvent(const TimingEvent&) = delete;
  TimingEvent& operator=(const TimingEvent&) = delete;
  cudaEvent_t event = nullptr;
};

// Median over kRuns runs of `replays` calls of `one`, in microseconds per call, after a warm-up.
double median_us(cudaStream_t stream, int replays, const std::function<void()>& one) {
  for (int i = 0; i < std::min(replays, 50); ++i) one();
  TimingEvent start, stop;
  std::vector<double> us;
  for (int run = 0; run < kRuns; ++run) {
    CUDA_CHECK(cudaEventRecord(start.event, stream));
    for (int i = 0; i < replays; ++i) one();
    CUDA_CHECK(cudaEventRecord(stop.event, stream));
    CUDA_CHECK(cudaEventSynchronize(stop.event));
    float ms = 0;
    CUDA_CHECK(cudaEventElapsedTime(&ms, start.event, stop.event));
    us.push_back(1000.0 * ms / replays);
  }
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

// The layer work of `variant` captured as one graph, and how many kernels it holds.
struct CapturedStep {
  cuda::GraphExec exec;
  size_t kernels = 0;
};

CapturedStep capture(StepLayers& layers, Variant variant, cublasHandle_t cublas, cudaStream_t stream) {
  cuda::GraphDeleter graph;
  CUDA_CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
  try {
    layers.enqueue(variant, cublas, stream);
  } catch (...) {
    cudaStreamEndCapture(stream, &graph.graph);  // leaves the stream usable
    throw;
  }
  CUDA_CHECK(cudaStreamEndCapture(stream, &graph.graph));
  size_t count = 0;
  CUDA_CHECK(cudaGraphGetNodes(graph.graph, nullptr, &count));
  std::vector<cudaGraphNode_t> nodes(count);
  CUDA_CHECK(cudaGraphGetNodes(graph.graph, nodes.data(), &count));
  CapturedStep step;
  for (cudaGraphNode_t node : nodes) {
    cudaGraphNodeType type{};
    CUDA_CHECK(cudaGraphNodeGetType(node, &type));
    step.kernels += type == cudaGraphNodeTypeKernel;
  }
  cudaGraphExec_t exec = nullptr;
  CUDA_CHECK(cudaGraphInstantiate(&exec, graph.graph, 0));
  step.exec = cuda::GraphExec(exec);
  return step;
}

// The largest difference of `got` from `want` over want's largest magnitude.
double relative_difference(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) return INFINITY;
  double largest = 0, difference = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    largest = std::max(largest, std::fabs(double(want[i])));
    difference = std::max(difference, std::fabs(double(got[i]) - double(want[i])));
    if (std::isnan(got[i]) != std::isnan(want[i])) return INFINITY;
  }
  return largest > 0 ? difference / largest : difference;
}

// One line comparing `got` with `want`, output by output: within kTolerance or (exact) bit for bit.
bool check(const std::string& what, const Outputs& got, const Outputs& want, bool exact) {
  bool ok = got.size() == want.size();
  std::string line = "check " + what + ":";
  for (size_t i = 0; ok && i < got.size(); ++i) {
    const double difference = relative_difference(got[i].values, want[i].values);
    const bool same = exact ? got[i].values == want[i].values : difference <= kTolerance;
    char part[160];
    std::snprintf(part, sizeof(part), " %s %.2e%s,", got[i].name.c_str(), difference, same ? "" : " (too far)");
    line += part;
    ok = ok && same;
  }
  line.back() = ' ';
  std::printf("%s%s\n", line.c_str(), ok ? "ok" : "FAILED");
  return ok;
}

// Runs, checks and times one variant; its eager run's outputs go to `outputs`.
bool run_variant(StepLayers& layers, Variant variant, cublasHandle_t cublas, cudaStream_t stream, int replays,
                 const std::optional<Outputs>& reference, Outputs& outputs) {
  const std::string name = variant_name(variant);
  layers.clear(stream);
  layers.enqueue(variant, cublas, stream);
  outputs = layers.outputs(stream);
  bool ok = true;
  if (reference) ok = check(name + " against " + (variant == Variant::kTiledPdl ? "tiled" : "cublas"), outputs,
                            *reference, variant == Variant::kTiledPdl);
  const double eager = median_us(stream, replays, [&] { layers.enqueue(variant, cublas, stream); });
  CapturedStep step = capture(layers, variant, cublas, stream);
  layers.clear(stream);
  const double graph = median_us(stream, replays, [&] { CUDA_CHECK(cudaGraphLaunch(step.exec.get(), stream)); });
  ok = check(name + " replayed as a graph against its run", layers.outputs(stream), outputs,
             variant != Variant::kCublas) && ok;
  std::printf("variant=%s batch=%d kernels=%zu eager_us=%.2f graph_us=%.2f\n", name.c_str(), layers.batch(),
              step.kernels, eager, graph);
  return ok;
}

void print_device() {
  int device = 0;
  cudaDeviceProp properties{};
  CUDA_CHECK(cudaGetDevice(&device));
  CUDA_CHECK(cudaGetDeviceProperties(&properties, device));
  std::printf("ganvas_cuda_variants: %s, compute capability %d.%d; programmatic dependent launch %s\n",
              properties.name, properties.major, properties.minor,
              programmatic_launch_supported() ? "on" : "not supported here (tiled-pdl launches plainly)");
}

int run(int batch, int replays, const std::string& only) {
  cuda::require_cuda_device();
  print_device();
  cuda::CudaStream stream;
  cuda::DeviceBuffer<std::byte> workspace(cuda::kCublasWorkspaceBytes, "the cuBLAS workspace");
  cuda::CublasHandle cublas(stream.get(), false);  // FP32, as the tiled products
  cublas.set_workspace(workspace.data(), workspace.bytes());
  StepLayers layers(ModelShape{}, batch, 1);
  bool ok = true;
  std::optional<Outputs> cublas_outputs, tiled_outputs;
  for (Variant variant : kVariants) {
    const bool wanted = only == "all" || only == variant_name(variant);
    // The checks need their references: cuBLAS's for tiled, tiled's for tiled-pdl.
    const bool needed = (variant == Variant::kCublas && only != "cublas" && only != "all") ||
                        (variant == Variant::kTiled && only == "tiled-pdl");
    if (!wanted && !needed) continue;
    Outputs outputs;
    const std::optional<Outputs>& reference = variant == Variant::kTiledPdl ? tiled_outputs : cublas_outputs;
    if (wanted) {
      ok = run_variant(layers, variant, cublas.get(), stream.get(), replays, reference, outputs) && ok;
    } else {
      layers.clear(stream.get());
      layers.enqueue(variant, cublas.get(), stream.get());
      outputs = layers.outputs(stream.get());
    }
    (variant == Variant::kCublas ? cublas_outputs : tiled_outputs) = std::move(outputs);
  }
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const int batch = argc > 1 ? std::atoi(argv[1]) : 128;
  const int replays = argc > 2 ? std::atoi(argv[2]) : 2000;
  const std::string only = argc > 3 ? argv[3] : "all";
  const bool known = only == "all" || only == "cublas" || only == "tiled" || only == "tiled-pdl";
  if (argc > 4 || batch < 1 || replays < 1 || !known) {
    std::fprintf(stderr, "usage: %s [BATCH [REPLAYS [cublas|tiled|tiled-pdl|all]]]\n", argv[0]);
    return 2;
  }
  try {
    return run(batch, replays, only);
  } catch (const ganvas::Error& e) {
    std::fprintf(stderr, "ganvas_cuda_variants: %s\n", e.what());
    return 1;
  }
}
