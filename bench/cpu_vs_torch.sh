#!/usr/bin/env bash
# CPU benchmark: ganvas's steps/s at batch 128 against the same GAN in PyTorch (Debian's
# python3-torch), in the same run. Prints one line per configuration, then the ratio against
# PyTorch's fastest. Usage: bench/cpu_vs_torch.sh [STEPS] [RUNS]
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"
steps=${1:-500}
runs=${2:-5}

install_packages "${GANVAS_PACKAGES[@]}" python3-torch
fetch_mnist
build build >/dev/null
mnist="$GANVAS_ROOT/data/mnist"
torch_py=/usr/bin/python3  # Debian's python3, where python3-torch lives

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%F)"
results=()
# run LABEL COMMAND...: prints "LABEL: <the benchmark's line>".
run() {
  local label=$1 line
  shift
  line="$label: $("$@" 2>/dev/null | tail -1)"
  echo "$line"
  results+=("$line")
}
run "ganvas, 2 BLAS threads" "$GANVAS_ROOT/build/bench/ganvas_bench" cpu "$mnist" "$steps" "$runs" 2
run "ganvas, 1 BLAS thread" "$GANVAS_ROOT/build/bench/ganvas_bench" cpu "$mnist" "$steps" "$runs" 1
# PyTorch uses Debian's OpenBLAS too. Its defaults, then its fastest settings found here: one torch
# thread with two OpenBLAS threads, with OpenBLAS's kernels as OpenBLAS picks them and as ganvas picks them.
core=$(env -u OPENBLAS_CORETYPE "$GANVAS_ROOT/build/gan/ganvas" info | sed -n 's/.*(kernels: \(.*\))/\1/p')
run "torch, defaults" env "$torch_py" "$GANVAS_ROOT/bench/torch_gan.py" "$mnist" "$steps" "$runs" 0
run "torch, 1 thread, 2 BLAS threads" env OPENBLAS_NUM_THREADS=2 "$torch_py" "$GANVAS_ROOT/bench/torch_gan.py" "$mnist" "$steps" "$runs" 1
run "torch, 1 thread, 2 BLAS threads, $core kernels" env OPENBLAS_NUM_THREADS=2 OPENBLAS_CORETYPE="$core" "$torch_py" "$GANVAS_ROOT/bench/torch_gan.py" "$mnist" "$steps" "$runs" 1
run "torch, 2 threads, 2 BLAS threads, $core kernels" env OPENBLAS_NUM_THREADS=2 OPENBLAS_CORETYPE="$core" "$torch_py" "$GANVAS_ROOT/bench/torch_gan.py" "$mnist" "$steps" "$runs" 2

printf '%s\n' "${results[@]}" | python3 -c '
import re, sys
rows = [(l.split(":")[0], float(re.search(r"median=([0-9.]+)", l).group(1))) for l in sys.stdin if "median=" in l]
ganvas = max(r for n, r in rows if n.startswith("ganvas"))
torch = max(r for n, r in rows if n.startswith("torch"))
print(f"ganvas best {ganvas:.1f} steps/s, PyTorch best {torch:.1f} steps/s, ratio {ganvas / torch:.2f}x")
print(f"GEMM ceiling ~430 steps/s (0.431 GFLOP/step at ~185 GFLOP/s): ganvas reaches {100 * ganvas / 430:.0f}%")
'
