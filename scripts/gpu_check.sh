#!/usr/bin/env bash
# GPU checks of ganvas in two halves, for machines where the build machine has no GPU:
#   scripts/gpu_check.sh bundle          on a CPU-only build machine: builds a relocatable bundle
#                                        in gpu-bundle/ (binaries, their non-system libraries,
#                                        MNIST gzipped); cuBLAS is not bundled.
#   scripts/gpu_check.sh run LOG_DIR     on the GPU machine, from the repository root: CUDA unit
#                                        tests, CPU-vs-GPU parity (every model variant), graph
#                                        replay, short training runs (the tutorial's, the
#                                        clean-digits preset, a variant), the headless CUDA-GL interop render, the visualizer's
#                                        frame benchmark, and the training benchmark against PyTorch
#                                        on the same card, at batch 128 and in a batch sweep. Prints a table last; the full log goes to
#                                        LOG_DIR. GL's loaders (libEGL, libGL: GLVND) come as Debian
#                                        packages in .gl/, unpacked there first.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

bundle() {
  local build="$here/build-gpu" out="$here/gpu-bundle"
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DGANVAS_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES="90-real;90-virtual" -DCMAKE_BUILD_RPATH='$ORIGIN/lib' >/dev/null || exit 1
  cmake --build "$build" -j2 --target ganvas ganvas_tests ganvas_cuda_tests ganvas_viz_tests ganvas_bench || exit 1
  rm -rf "$out" && mkdir -p "$out/stage/lib" "$out/stage/mnist"
  cp "$build/gan/ganvas" "$build/tests/ganvas_tests" "$build/tests/ganvas_cuda_tests" "$build/tests/ganvas_viz_tests" \
    "$build/bench/ganvas_bench" "$out/stage/"
  # Libraries the GPU image lacks: OpenBLAS and what it needs, stb, GLFW and X11's client libraries.
  for lib in libopenblas.so.0 libgfortran.so.5 libquadmath.so.0 libstb.so.0 libglfw.so.3 libX11.so.6 libxcb.so.1 \
    libXau.so.6 libXdmcp.so.6 libbsd.so.0 libmd.so.0; do
    cp -L "$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')" "$out/stage/lib/" || exit 1
  done
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte; do gzip -c "$here/data/mnist/$f" >"$out/stage/mnist/$f"; done
  tar -C "$out/stage" -czf "$out/ganvas-gpu.tar.gz" . && rm -rf "$out/stage"
  # GLVND's loaders for the GPU machine, which has NVIDIA's driver but not these (carry .gl too).
  if ! ls "$here"/.gl/libegl1_*.deb >/dev/null 2>&1; then
    local apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
    mkdir -p "$here/.gl" /tmp/amd64/partial
    apt-get "${apt_opts[@]}" update -qq &&
      (cd "$here/.gl" && apt-get "${apt_opts[@]}" download libegl1 libglvnd0 libopengl0 libgl1 libglx0) || exit 1
  fi
  ls -la "$out"
}

# Prints the median steps/s of a benchmark line.
median() { sed -n 's/.*median=\([0-9.]*\).*/\1/p' <<<"$1" | tail -1; }

run() {
  local log_dir=$1
  mkdir -p "$log_dir"
  local log="$log_dir/gpu_check.log" work=/tmp/ganvas-gpu
  rm -rf "$work" && mkdir -p "$work" && tar -C "$work" -xzf "$here/gpu-bundle/ganvas-gpu.tar.gz" || exit 1
  for f in "$here"/.gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  [ -f /usr/share/glvnd/egl_vendor.d/10_nvidia.json ] ||
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  local cublas
  cublas=$(python3 -c 'import nvidia.cublas as c, os; print(os.path.join(list(c.__path__)[0], "lib"))' 2>/dev/null)
  export LD_LIBRARY_PATH="$work/lib:${cublas}:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}"
  export GANVAS_TEST_DATA_DIR="$here/tests/data" GANVAS_MNIST_DIR="$work/mnist" GANVAS_ASSETS_DIR="$here/assets"
  export OPENBLAS_NUM_THREADS=2
  {
    echo "== machine"; nvidia-smi -L; nvidia-smi --query-gpu=driver_version,clocks.max.sm --format=csv
    echo "== ganvas info"; "$work/ganvas" info
    echo "== CUDA golden tests"; timeout 120 "$work/ganvas_tests" --gtest_filter='*cuda*:*Cuda*' 2>&1 | tail -25
    echo "== CUDA parity and graph tests"; timeout 180 "$work/ganvas_cuda_tests" 2>&1 | tail -40
    echo "== training 5000 steps on CUDA"
    timeout 120 "$work/ganvas" train --device cuda --steps 5000 --log-every 1000 --out "$log_dir/train" --data-dir "$work/mnist"
    echo "== the clean-digits preset (conditional, two layers of 512, LeakyReLU, label smoothing, G's average) on CUDA"
    timeout 150 "$work/ganvas" train --device cuda --preset clean-digits --steps 5000 --log-every 1000 --eval-every 5000 \
      --eval-samples 2000 --out "$log_dir/cgan" --data-dir "$work/mnist"
    echo "== two hidden layers, hinge loss, SGD on CUDA"
    timeout 120 "$work/ganvas" train --device cuda --layers 2 --loss hinge --optimizer sgd --lr 0.01 --steps 2000 \
      --log-every 500 --out "$log_dir/variant" --data-dir "$work/mnist"
    echo "== headless rendering and CUDA-GL interop"
    timeout 120 "$work/ganvas_viz_tests" --gtest_filter='Headless.*' 2>&1 | tail -25
    timeout 120 "$work/ganvas" --headless --device cuda --frames 600 --screenshot "$log_dir/frame.png" --data-dir "$work/mnist"
    echo "== visualizer frame benchmark, 1280x720, CUDA training"
    timeout 180 "$work/ganvas" --headless --device cuda --bench-frames 600 --data-dir "$work/mnist"
    echo "== the same, frames paced to 120 per second"
    timeout 180 "$work/ganvas" --headless --device cuda --bench-frames 600 --max-fps 120 --data-dir "$work/mnist"
  } 2>&1 | tee "$log"

  local g e c t
  g=$(timeout 120 "$work/ganvas_bench" cuda "$work/mnist" 5000 5 2>&1 | tee -a "$log")
  t=$(timeout 120 "$work/ganvas_bench" cuda "$work/mnist" 5000 5 2 tf32 2>&1 | tee -a "$log")
  e=$(timeout 120 python3 "$here/bench/torch_gan.py" "$work/mnist" 500 5 1 cuda eager 2>&1 | tee -a "$log")
  c=$(timeout 120 python3 "$here/bench/torch_gan.py" "$work/mnist" 5000 5 1 cuda graph 2>&1 | tee -a "$log")
  python3 - "$(median "$g")" "$(median "$t")" "$(median "$e")" "$(median "$c")" <<'PY' | tee -a "$log"
import sys
names = ["ganvas cuda (FP32, graph)", "ganvas cuda (TF32, graph)", "PyTorch eager", "PyTorch CUDA graph"]
rates = [float(v) if v else float("nan") for v in sys.argv[1:]]
flop = 0.431e9
print(f"\n{'':28s}{'steps/s':>10s}{'us/step':>10s}{'GFLOP/s':>10s}{'vs eager':>10s}{'vs graph':>10s}")
for name, r in zip(names, rates):
    print(f"{name:28s}{r:10.0f}{1e6 / r:10.1f}{r * flop / 1e9:10.1f}{r / rates[2]:10.2f}{r / rates[3]:10.2f}")
print("floor: 0.431 GFLOP per step (batch 128)")
PY
  echo "== batch sweep, FP32, steps/s (one run each): ganvas graph | PyTorch eager | PyTorch CUDA graph" | tee -a "$log"
  for batch in 32 128 512 2048 4096; do
    g=$(timeout 60 "$work/ganvas_bench" cuda "$work/mnist" 2000 1 2 fp32 "$batch" 2>&1 | tee -a "$log")
    e=$(timeout 60 python3 "$here/bench/torch_gan.py" "$work/mnist" 300 1 1 cuda eager tf1-foreach "$batch" 2>&1 | tee -a "$log")
    c=$(timeout 60 python3 "$here/bench/torch_gan.py" "$work/mnist" 2000 1 1 cuda graph tf1-foreach "$batch" 2>&1 | tee -a "$log")
    echo "batch $batch: $(median "$g") | $(median "$e") | $(median "$c")" | tee -a "$log"
  done
}

case "${1:-}" in
  bundle) bundle ;;
  run) run "${2:?usage: gpu_check.sh run LOG_DIR}" ;;
  *) echo "usage: $0 bundle | run LOG_DIR" >&2; exit 2 ;;
esac
