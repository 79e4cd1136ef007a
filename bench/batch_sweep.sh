#!/usr/bin/env bash
# Batch-size sweep: ganvas against PyTorch's two fastest CPU configurations of bench/cpu_vs_torch.sh
# (1 torch thread and 2 OpenBLAS threads with TF1 Adam foreach; 2 torch threads on OpenBLAS's OpenMP
# build with torch.optim.Adam foreach), at batches 32 to 1024, so users see where
# each wins. Runs are interleaved: each round runs every (batch, program) once; every row is the
# median (min–max) over the rounds. Each run trains about 38,400 images (steps = 38,400 / batch).
# Usage: bench/batch_sweep.sh [ROUNDS] [BATCHES...]
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"
rounds=${1:-3}
shift || true
batches=("${@:-32 64 128 256 512 1024}")
read -r -a batches <<<"${batches[*]}"

install_packages "${GANVAS_PACKAGES[@]}" python3-torch libopenblas0-openmp
fetch_mnist
build build >/dev/null
mnist="$GANVAS_ROOT/data/mnist"
torch_py=/usr/bin/python3  # Debian's python3, where python3-torch lives
openmp_blas=/usr/lib/$(gcc -print-multiarch)/openblas-openmp
core=$(env -u OPENBLAS_CORETYPE "$GANVAS_ROOT/build/gan/ganvas" info | sed -n 's/.*(kernels: \(.*\))/\1/p')
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; OpenBLAS kernels for ganvas: $core; $(date -u +%F)"

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
  for batch in "${batches[@]}"; do
    steps=$((38400 / batch))
    for program in ganvas torch-tf1-foreach torch-optim-foreach; do
      case $program in
        ganvas) cmd=("$GANVAS_ROOT/build/bench/ganvas_bench" cpu "$mnist" "$steps" 1 2 fp32 "$batch") ;;
        torch-tf1-foreach) cmd=(env OPENBLAS_NUM_THREADS=2 OPENBLAS_CORETYPE="$core" "$torch_py" \
          "$GANVAS_ROOT/bench/torch_gan.py" "$mnist" "$steps" 1 1 cpu eager tf1-foreach "$batch") ;;
        torch-optim-foreach) cmd=(env LD_LIBRARY_PATH="$openmp_blas" OPENBLAS_CORETYPE="$core" "$torch_py" \
          "$GANVAS_ROOT/bench/torch_gan.py" "$mnist" "$steps" 1 2 cpu eager torch-foreach "$batch") ;;
      esac
      rate=$("${cmd[@]}" 2>/dev/null | tail -1 | sed -n 's/.*median=\([0-9.]*\).*/\1/p')
      echo "$batch|$program|$round|$rate" >>"$results"
    done
  done
  echo "round $round of $rounds done" >&2
done
python3 - "$results" <<'PY'
import statistics, sys
rates, by_round = {}, {}
for line in open(sys.argv[1]):
    batch, program, round_, rate = line.rstrip("\n").split("|")
    if rate:
        rates.setdefault((int(batch), program), []).append(float(rate))
        by_round.setdefault((int(batch), round_), {})[program] = float(rate)
def cell(batch, program):
    r = rates.get((batch, program), [])
    return f"{statistics.median(r):.1f} ({min(r):.1f}–{max(r):.1f})" if r else "—"
print("| batch | ganvas steps/s | PyTorch TF1 Adam foreach, 1 thread | PyTorch optim.Adam foreach, 2 threads, OpenMP OpenBLAS | ratio of medians to PyTorch's faster | per-round ratio, median (min–max) | ganvas images/s |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for batch in sorted({b for b, _ in rates}):
    ganvas = statistics.median(rates[(batch, "ganvas")])
    torch = max(statistics.median(rates[(batch, p)]) for p in ("torch-tf1-foreach", "torch-optim-foreach") if (batch, p) in rates)
    per_round = [r["ganvas"] / max(r[p] for p in ("torch-tf1-foreach", "torch-optim-foreach") if p in r)
                 for (b, _), r in by_round.items() if b == batch and "ganvas" in r and len(r) > 1]
    spread = f"{statistics.median(per_round):.2f}× ({min(per_round):.2f}–{max(per_round):.2f}×)" if per_round else "—"
    print(f"| {batch} | {cell(batch, 'ganvas')} | {cell(batch, 'torch-tf1-foreach')} | {cell(batch, 'torch-optim-foreach')} | "
          f"{ganvas / torch:.2f}× | {spread} | {ganvas * batch:,.0f} |")
PY
