#!/usr/bin/env bash
# CPU benchmark: ganvas's steps/s at batch 128 against the same GAN in PyTorch (Debian's
# python3-torch) at its best, and against the ceiling the step's matrix products allow, measured in
# the same run. The configurations are interleaved: each round runs every one once (one timed run of
# STEPS steps after a warm-up), so a machine whose speed drifts affects them alike; each row is the
# median (min–max) over the rounds. Usage: bench/cpu_vs_torch.sh [STEPS] [ROUNDS]
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"
steps=${1:-500}
rounds=${2:-5}

install_packages "${GANVAS_PACKAGES[@]}" python3-torch libopenblas0-openmp
fetch_mnist
build build >/dev/null
mnist="$GANVAS_ROOT/data/mnist"
bench="$GANVAS_ROOT/build/bench"
torch_py=/usr/bin/python3  # Debian's python3, where python3-torch lives
# OpenBLAS's OpenMP build for PyTorch (Debian's default is the pthreads one): torch's own threads and
# BLAS's are then one OpenMP team, as a PyTorch user who wants two threads would set it up.
openmp_blas=/usr/lib/$(gcc -print-multiarch)/openblas-openmp
core=$(env -u OPENBLAS_CORETYPE "$GANVAS_ROOT/build/gan/ganvas" info | sed -n 's/.*(kernels: \(.*\))/\1/p')
echo "machine: $(lscpu | sed -n 's/^Model name: *//p') (family $(lscpu | sed -n 's/^CPU family: *//p'), model $(lscpu | sed -n 's/^Model: *//p')), $(nproc) cores; OpenBLAS kernels for ganvas: $core; $(date -u +%F)"

# LABEL|COMMAND: every configuration, run once a round.
configs=(
  "ganvas, 2 BLAS threads|$bench/ganvas_bench cpu $mnist $steps 1 2"
  "ganvas, 1 BLAS thread|$bench/ganvas_bench cpu $mnist $steps 1 1"
  "GEMM ceiling, 2 BLAS threads|$bench/ganvas_gemm_ceiling $steps 1 2"
  "torch, defaults, TF1 Adam foreach|$torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 0 cpu eager tf1-foreach"
  "torch, 1 thread, 2 BLAS threads, TF1 Adam foreach|env OPENBLAS_NUM_THREADS=2 $torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 1 cpu eager tf1-foreach"
  "torch, 1 thread, 2 BLAS threads, TF1 Adam in place|env OPENBLAS_NUM_THREADS=2 $torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 1 cpu eager tf1-inplace"
  "torch, 1 thread, 2 BLAS threads, torch.optim.Adam foreach|env OPENBLAS_NUM_THREADS=2 $torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 1 cpu eager torch-foreach"
  "torch, 2 threads, 2 BLAS threads, torch.optim.Adam foreach|env OPENBLAS_NUM_THREADS=2 $torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 2 cpu eager torch-foreach"
  "torch, 2 threads, OpenMP OpenBLAS, TF1 Adam foreach|env LD_LIBRARY_PATH=$openmp_blas $torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 2 cpu eager tf1-foreach"
  "torch, 2 threads, OpenMP OpenBLAS, torch.optim.Adam foreach|env LD_LIBRARY_PATH=$openmp_blas $torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 2 cpu eager torch-foreach"
  "torch, 1 thread, 2 BLAS threads, $core kernels, torch.optim.Adam foreach|env OPENBLAS_NUM_THREADS=2 OPENBLAS_CORETYPE=$core $torch_py $GANVAS_ROOT/bench/torch_gan.py $mnist $steps 1 1 cpu eager torch-foreach"
)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
  for config in "${configs[@]}"; do
    label=${config%%|*}
    rate=$(${config#*|} 2>/dev/null | tail -1 | sed -n 's/.*median=\([0-9.]*\).*/\1/p')
    echo "$round|$label|$rate" >>"$results"
  done
  echo "round $round of $rounds done" >&2
done
python3 - "$results" <<'PY'
import statistics, sys
rows, by_round = {}, {}
for line in open(sys.argv[1]):
    round_, label, rate = line.rstrip("\n").split("|")
    if rate:
        rows.setdefault(label, []).append(float(rate))
        by_round.setdefault(round_, {})[label] = float(rate)
def median(label): return statistics.median(rows[label])
print(f"| configuration | steps/s median (min–max) over {max(len(r) for r in rows.values())} interleaved rounds |")
print("| --- | --- |")
for label, rates in rows.items():
    print(f"| {label} | {median(label):.1f} ({min(rates):.1f}–{max(rates):.1f}) |")
ganvas = median("ganvas, 2 BLAS threads")
torch_label = max((l for l in rows if l.startswith("torch")), key=median)
ceiling = median("GEMM ceiling, 2 BLAS threads")
print(f"\nganvas {ganvas:.1f} steps/s; PyTorch's fastest here: {torch_label}, {median(torch_label):.1f} steps/s: "
      f"ratio {ganvas / median(torch_label):.2f}x; GEMM ceiling {ceiling:.1f} steps/s: ganvas reaches {100 * ganvas / ceiling:.0f}%")
# Within a round the machine is the same machine: the ratio of each round, against that round's fastest PyTorch.
ratios = [r["ganvas, 2 BLAS threads"] / max(v for k, v in r.items() if k.startswith("torch"))
          for r in by_round.values() if "ganvas, 2 BLAS threads" in r]
print(f"per-round ratio to the round's fastest PyTorch: median {statistics.median(ratios):.2f}x "
      f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x)")
PY
