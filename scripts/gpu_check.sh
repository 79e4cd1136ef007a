#!/usr/bin/env bash
# GPU checks of ganvas in two halves, for machines where the build machine has no GPU:
#   scripts/gpu_check.sh bundle          on a CPU-only build machine: builds a relocatable bundle
#                                        in gpu-bundle/ (stripped binaries, their non-system
#                                        libraries, MNIST gzipped); cuBLAS is not bundled.
#   scripts/gpu_check.sh run LOG_DIR [PART...]
#                                        on the GPU machine, from the repository root. PARTs, all by
#                                        default, in this order:
#     tests    CUDA unit tests, CPU-vs-GPU parity for every model variant, graph replay, the kernel
#              variants apart from the backend (bench/cuda_variants: the layers as tiled products,
#              plain and with programmatic dependent launch, checked against the backend's cuBLAS
#              layers), the C API rendering into a host's texture through CUDA-GL interop, the
#              headless render tests
#     train    short training runs on CUDA: the tutorial's, the clean-digits preset, a variant
#     frames   the headless interop render to a PNG, the visualizer's frame benchmark (unpaced and
#              paced to 120 frames a second)
#     bench    training steps/s at batch 128 against PyTorch's fastest references on the same card,
#              and the time of a step's layer work in each kernel variant (ganvas_cuda_variants)
#     sweep    the same at batches 32 to 4,096
#     profile  (only when named) each kernel's time in two training steps, by Nsight Compute, and
#              in the tiled variant's layer work
# The summary goes to stdout and LOG_DIR/gpu_check.log, every test's whole output to
# LOG_DIR/tests.log. GL's loaders (libEGL, libGL: GLVND) come as Debian packages in .gl/, unpacked
# there first.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

bundle() {
  local build="$here/build-gpu" out="$here/gpu-bundle"
  local programs=(gan/ganvas tests/ganvas_tests tests/ganvas_cuda_tests tests/ganvas_viz_tests tests/ganvas_c_api_tests
    bench/ganvas_bench bench/cuda_variants/ganvas_cuda_variants)
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DGANVAS_CUDA=ON \
    -DCMAKE_CUDA_ARCHITECTURES="90-real;90-virtual" -DCMAKE_BUILD_RPATH='$ORIGIN/lib' >/dev/null || exit 1
  cmake --build "$build" -j2 --target $(for p in "${programs[@]}"; do basename "$p"; done) || exit 1
  rm -rf "$out" && mkdir -p "$out/stage/lib" "$out/stage/mnist"
  for p in "${programs[@]}"; do strip -o "$out/stage/$(basename "$p")" "$build/$p" || exit 1; done
  strip -o "$out/stage/lib/libganvas.so.1" "$build/gan/embed/libganvas.so.1" &&
    strip -o "$out/stage/lib/libganvas_imgui.so.1" "$build/gan/embed/libganvas_imgui.so.1" || exit 1
  ffmpeg_stand_ins "$out/stage/lib" "$out"/stage/ganvas* || exit 1
  # Libraries the GPU image lacks: OpenBLAS and what it needs, stb, GLFW and X11's client libraries.
  for lib in libopenblas.so.0 libgfortran.so.5 libquadmath.so.0 libstb.so.0 libglfw.so.3 libX11.so.6 libxcb.so.1 \
    libXau.so.6 libXdmcp.so.6 libbsd.so.0 libmd.so.0; do
    cp -L "$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')" "$out/stage/lib/" || exit 1
  done
  for f in {train,t10k}-{images-idx3,labels-idx1}-ubyte; do gzip -c "$here/data/mnist/$f" >"$out/stage/mnist/$f"; done
  XZ_OPT=-T2 tar -C "$out/stage" -cJf "$out/ganvas-gpu.tar.xz" . && rm -rf "$out/stage"
  # GLVND's loaders for the GPU machine, which has NVIDIA's driver but not these (carry .gl too).
  if ! ls "$here"/.gl/libegl1_*.deb >/dev/null 2>&1; then
    local apt_opts=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
    mkdir -p "$here/.gl" /tmp/amd64/partial
    apt-get "${apt_opts[@]}" update -qq &&
      (cd "$here/.gl" && apt-get "${apt_opts[@]}" download libegl1 libglvnd0 libopengl0 libgl1 libglx0) || exit 1
  fi
  ls -la "$out"
}

# FFmpeg's libraries are not carried (with what they need, about 180 MB): recording is not checked
# on the GPU machine. Stand-ins with FFmpeg's library names and symbol versions take their place;
# each of their functions stops the program with its name, so a check that reaches one fails loudly.
ffmpeg_stand_ins() {
  local lib_dir=$1 dir version soname
  shift
  dir=$(mktemp -d)
  nm -D --undefined-only "$@" | sed -n 's/^ *U \([A-Za-z0-9_]*\)@\(LIB\(AV\|SW\)[A-Z]*_[0-9]*\)$/\1 \2/p' | sort -u >"$dir/symbols"
  for version in $(awk '{print $2}' "$dir/symbols" | sort -u); do
    soname="$(tr 'A-Z' 'a-z' <<<"${version%_*}").so.${version##*_}"  # LIBAVCODEC_59: libavcodec.so.59
    {
      echo '#include <stdio.h>'
      echo '#include <stdlib.h>'
      echo 'static void stand_in(const char* name) { fprintf(stderr, "%s: FFmpeg is not in the GPU bundle\n", name); abort(); }'
      awk -v v="$version" '$2 == v {printf "void %s(void) { stand_in(\"%s\"); }\n", $1, $1}' "$dir/symbols"
    } >"$dir/$soname.c"
    { echo "$version {"; echo "global:"; awk -v v="$version" '$2 == v {print "  " $1 ";"}' "$dir/symbols"; echo "local: *;"; echo "};"; } >"$dir/$soname.map"
    cc -shared -fPIC -O1 -o "$lib_dir/$soname" -Wl,-soname,"$soname" -Wl,--version-script="$dir/$soname.map" "$dir/$soname.c" || return 1
  done
  rm -rf "$dir"
}

work=/tmp/ganvas-gpu

# Prints the median steps/s of a benchmark line.
median() { sed -n 's/.*median=\([0-9.]*\).*/\1/p' <<<"$1" | tail -1; }

# Runs a test program with a time limit: its whole output to tests.log, its verdict lines here.
gtest() {
  local seconds=$1 program=$2
  shift 2
  echo "-- $program $*"
  timeout "$seconds" "$work/$program" "$@" >"$tests_log.part" 2>&1
  local status=$?
  cat "$tests_log.part" >>"$tests_log"
  grep -E '^\[  (PASSED|FAILED|SKIPPED) |^\[==========\] [0-9]+ tests? from .* ran|Failure$|^.*: error' "$tests_log.part" |
    head -40
  [ $status -eq 124 ] && echo "!! $program stopped after $seconds s"
  [ $status -ne 0 ] && echo "!! $program exit status $status"
  rm -f "$tests_log.part"
}

# Runs the kernel variants' harness (bench/cuda_variants/cuda_variants.cpp) with a time limit: its
# check and time lines here and in tests.log.
variants() {
  local seconds=$1
  shift
  echo "-- ganvas_cuda_variants $*"
  timeout "$seconds" "$work/ganvas_cuda_variants" "$@" 2>&1 | tee -a "$tests_log"
  local status=${PIPESTATUS[0]}
  [ $status -eq 124 ] && echo "!! ganvas_cuda_variants stopped after $seconds s"
  [ $status -ne 0 ] && echo "!! ganvas_cuda_variants exit status $status"
}

# The graph time (us) of one variant's line in the harness's output.
variant_us() { sed -n "s/^variant=$2 .*graph_us=\([0-9.]*\).*/\1/p" <<<"$1" | tail -1; }

part_machine() {
  echo "== machine"; nvidia-smi -L; nvidia-smi --query-gpu=driver_version,clocks.max.sm --format=csv; uname -r
  echo "== ganvas info"; timeout 30 "$work/ganvas" info
}

part_tests() {
  echo "== CUDA golden tests"; gtest 120 ganvas_tests --gtest_filter='*cuda*:*Cuda*'
  echo "== CUDA parity and graph tests"; gtest 240 ganvas_cuda_tests
  echo "== kernel variants apart from the backend: tiled layers, plain and with programmatic dependent launch,"
  echo "   against the backend's cuBLAS layers (bench/cuda_variants)"
  variants 180 128 200
  echo "== the C API on CUDA: a host's texture through interop"; gtest 90 ganvas_c_api_tests --gtest_filter='CApiRendering.*'
  echo "== headless rendering and CUDA-GL interop"; gtest 120 ganvas_viz_tests --gtest_filter='Headless.*'
}

part_train() {
  echo "== training 5000 steps on CUDA"
  timeout 120 "$work/ganvas" train --device cuda --steps 5000 --log-every 1000 --out "$work/train" --data-dir "$work/mnist"
  echo "== the clean-digits preset (conditional, two layers of 512, LeakyReLU, label smoothing, G's average) on CUDA"
  timeout 150 "$work/ganvas" train --device cuda --preset clean-digits --steps 5000 --log-every 1000 --eval-every 5000 \
    --eval-samples 2000 --out "$work/cgan" --data-dir "$work/mnist"
  echo "== two hidden layers, hinge loss, SGD on CUDA"
  timeout 120 "$work/ganvas" train --device cuda --layers 2 --loss hinge --optimizer sgd --lr 0.01 --steps 2000 \
    --log-every 500 --out "$work/variant" --data-dir "$work/mnist"
}

part_frames() {
  echo "== headless interop render"
  timeout 120 "$work/ganvas" --headless --device cuda --frames 600 --screenshot "$log_dir/frame.png" --data-dir "$work/mnist"
  echo "== visualizer frame benchmark, 1280x720, CUDA training"
  timeout 120 "$work/ganvas" --headless --device cuda --bench-frames 600 --data-dir "$work/mnist"
  echo "== the same, frames paced to 120 per second"
  timeout 120 "$work/ganvas" --headless --device cuda --bench-frames 600 --max-fps 120 --data-dir "$work/mnist"
}

# ganvas (FP32 and TF32, graph) against PyTorch's references on the same card at batch 128, and the table.
part_bench() {
  echo "== training benchmark, batch 128: 5 timed runs each, median"
  local names=() rates=() line
  bench_row() {
    local name=$1
    shift
    line=$(timeout 150 "$@" 2>&1)
    echo "$line"
    names+=("$name")
    rates+=("$(median "$line")")
  }
  bench_row "ganvas cuda (FP32, graph)" "$work/ganvas_bench" cuda "$work/mnist" 5000 5
  bench_row "ganvas cuda (TF32, graph)" "$work/ganvas_bench" cuda "$work/mnist" 5000 5 2 tf32
  bench_row "PyTorch eager, TF1 Adam foreach" python3 "$here/bench/torch_gan.py" "$work/mnist" 500 5 1 cuda eager tf1-foreach
  bench_row "PyTorch eager, Adam fused" python3 "$here/bench/torch_gan.py" "$work/mnist" 500 5 1 cuda eager torch-fused
  bench_row "PyTorch graph, TF1 Adam" python3 "$here/bench/torch_gan.py" "$work/mnist" 5000 5 1 cuda graph tf1-foreach
  bench_row "PyTorch graph, Adam fused" python3 "$here/bench/torch_gan.py" "$work/mnist" 5000 5 1 cuda graph torch-fused
  bench_row "PyTorch compile, Adam fused" python3 "$here/bench/torch_gan.py" "$work/mnist" 1000 5 1 cuda compile torch-fused
  python3 - "${names[@]}" -- "${rates[@]}" <<'PY'
import sys
split = sys.argv.index("--")
names, rates = sys.argv[1:split], [float(v) if v else float("nan") for v in sys.argv[split + 1:]]
eager = max((r for n, r in zip(names, rates) if "eager" in n and r == r), default=float("nan"))
graph = max((r for n, r in zip(names, rates) if "graph" in n and "PyTorch" in n and r == r), default=float("nan"))
fastest = max((r for n, r in zip(names, rates) if "PyTorch" in n and r == r), default=float("nan"))
flop = 0.431e9
print(f"\n{'':34s}{'steps/s':>10s}{'us/step':>10s}{'GFLOP/s':>10s}{'/ eager':>10s}{'/ graph':>10s}{'/ fastest':>10s}")
for name, r in zip(names, rates):
    print(f"{name:34s}{r:10.0f}{1e6 / r:10.1f}{r * flop / 1e9:10.1f}{r / eager:10.2f}{r / graph:10.2f}{r / fastest:10.2f}")
print("ratios against PyTorch's fastest eager row, fastest graph row and fastest row of all;")
print("0.431 GFLOP per step (batch 128)")
PY
  echo "== kernel variants, batch 128: a step's layer work in microseconds (bench/cuda_variants)"
  variants 150 128 2000
}

# Each kernel's time on the GPU in a few replayed training steps (Nsight Compute, clocks not locked):
# what a step is made of; then the tiled variant's products in one run of a step's layer work (the
# harness's third run of it, after its check run and a warm-up run).
part_profile() {
  local ncu
  ncu=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda/bin/ncu 2>/dev/null | head -1)
  [ -n "$ncu" ] || { echo "no ncu here"; return; }
  echo "== kernels of the training step (ncu, 40 kernels after warm-up)"
  timeout 150 "$ncu" --clock-control none --metrics gpu__time_duration.sum \
    --launch-skip 600 --launch-count 40 --csv "$work/ganvas_bench" cuda "$work/mnist" 50 1 \
    >"$log_dir/kernels-cublas.csv" 2>"$log_dir/ncu-cublas.err"
  echo "ncu exit status $?"
  kernel_table "$log_dir/kernels-cublas.csv"
  echo "== the tiled variant's products in a step's layer work (ncu)"
  timeout 150 "$ncu" --clock-control none --metrics gpu__time_duration.sum --kernel-name tiled_product_kernel \
    --launch-skip 16 --launch-count 8 --csv "$work/ganvas_cuda_variants" 128 5 tiled \
    >"$log_dir/kernels-tiled.csv" 2>"$log_dir/ncu-tiled.err"
  echo "ncu exit status $?"
  kernel_table "$log_dir/kernels-tiled.csv"
}

kernel_table() {
  python3 - "$1" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1])) if len(r) > 10]
if not rows:
    sys.exit("no kernels were profiled")
head, rows = rows[0], rows[1:]
name, value = head.index("Kernel Name"), head.index("Metric Value")
total = 0.0
for r in rows:
    us = float(r[value].replace(",", "")) / (1000.0 if "nsecond" in r[head.index("Metric Unit")] else 1.0)
    total += us
    print(f"{us:8.2f} us  {r[name][:110]}")
print(f"{total:8.2f} us in {len(rows)} kernels")
PY
}

part_sweep() {
  echo "== batch sweep, FP32, steps/s (one run each): ganvas graph | PyTorch eager fused | PyTorch graph fused;"
  echo "   then a step's layer work (bench/cuda_variants, graph, us): cublas | tiled | tiled-pdl"
  local batch g v e c
  for batch in 32 128 512 2048 4096; do
    g=$(timeout 60 "$work/ganvas_bench" cuda "$work/mnist" 2000 1 2 fp32 "$batch" 2>&1)
    v=$(timeout 120 "$work/ganvas_cuda_variants" "$batch" 500 2>&1)
    e=$(timeout 60 python3 "$here/bench/torch_gan.py" "$work/mnist" 300 1 1 cuda eager torch-fused "$batch" 2>&1)
    c=$(timeout 60 python3 "$here/bench/torch_gan.py" "$work/mnist" 2000 1 1 cuda graph torch-fused "$batch" 2>&1)
    printf '%s\n%s\n%s\n%s\n' "$g" "$v" "$e" "$c" >>"$tests_log"
    echo "batch $batch: $(median "$g") | $(median "$e") | $(median "$c");" \
      "layer work $(variant_us "$v" cublas) | $(variant_us "$v" tiled) | $(variant_us "$v" tiled-pdl)"
    grep -q FAILED <<<"$v" && echo "!! a kernel variant's check failed at batch $batch (tests.log)"
  done
}

run() {
  log_dir=$1
  shift
  local parts=("$@")
  [ ${#parts[@]} -eq 0 ] && parts=(tests train frames bench sweep)
  mkdir -p "$log_dir"
  tests_log="$log_dir/tests.log"
  : >"$tests_log"
  rm -rf "$work" && mkdir -p "$work" || exit 1
  python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter="tar")' \
    "$here/gpu-bundle/ganvas-gpu.tar.xz" "$work" || exit 1  # xz may be missing there
  for f in "$here"/.gl/*.deb; do [ -e "$f" ] && dpkg -x "$f" /; done
  ldconfig
  [ -f /usr/share/glvnd/egl_vendor.d/10_nvidia.json ] ||
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  local cublas
  cublas=$(python3 -c 'import nvidia.cublas as c, os; print(os.path.join(list(c.__path__)[0], "lib"))' 2>/dev/null)
  export LD_LIBRARY_PATH="$work/lib:${cublas:+$cublas:}/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export GANVAS_TEST_DATA_DIR="$here/tests/data" GANVAS_MNIST_DIR="$work/mnist" GANVAS_ASSETS_DIR="$here/assets"
  export OPENBLAS_NUM_THREADS=2
  {
    part_machine
    for part in "${parts[@]}"; do
      local started=$SECONDS
      case "$part" in
        tests | train | frames | bench | sweep | profile) "part_$part" ;;
        *) echo "unknown part: $part (tests, train, frames, bench, sweep, profile)" ;;
      esac
      echo "-- $part took $((SECONDS - started)) s"
    done
  } 2>&1 | tee "$log_dir/gpu_check.log"
}

case "${1:-}" in
  bundle) bundle ;;
  run) shift && run "${1:?usage: gpu_check.sh run LOG_DIR [PART...]}" "${@:2}" ;;
  *) echo "usage: $0 bundle | run LOG_DIR [tests|train|frames|bench|sweep|profile ...]" >&2; exit 2 ;;
esac
