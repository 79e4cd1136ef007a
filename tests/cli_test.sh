#!/usr/bin/env bash
# The ganvas command line: exit status 2 and a clear message for usage errors, 1 for bad data.
set -u
ganvas=$1
mnist=$2
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/user-data"  # the runs a window keeps go here, not into the user's folder
trap 'rm -rf "$tmp"' EXIT
failures=0

# expect STATUS PATTERN COMMAND...: the command exits with STATUS and prints PATTERN.
expect() {
  local status=$1 pattern=$2
  shift 2
  local out
  out=$("$@" 2>&1)
  local got=$?
  if [ "$got" != "$status" ] || ! grep -qF -- "$pattern" <<<"$out"; then
    echo "FAIL: $* -> exit $got (wanted $status), output: $out"
    failures=$((failures + 1))
  fi
}

expect 2 "unknown command 'trian'" "$ganvas" trian
# One version: the program's (common/version.h) is CMake's project version.
project_version=$(sed -n 's/^project(ganvas VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../CMakeLists.txt")
expect 0 "ganvas $project_version" "$ganvas" --version
expect 0 "usage: ganvas [view]" "$ganvas" --help
expect 2 "unknown option '--stepz'" "$ganvas" train --stepz 3 --out "$tmp"
expect 2 "--steps expects a whole number, got 'many'" "$ganvas" train --steps many --out "$tmp"
expect 2 "--steps must be between 1 and" "$ganvas" train --steps 0 --out "$tmp"
expect 2 "needs --out" "$ganvas" train --steps 1
expect 2 "--steps needs a value" "$ganvas" train --out "$tmp" --steps
expect 2 "needs --checkpoint" "$ganvas" sample --out "$tmp/x.png"
expect 2 "--out needs a value (FILE.png), got the option '--no-invert'" "$ganvas" sample --checkpoint x --out --no-invert
expect 2 "--beta1 must be at least 0 and at most 0.999999, got -1" "$ganvas" train --beta1 -1 --out "$tmp"
expect 2 "past H.264's largest frame" "$ganvas" record --size 8192x8192 --out "$tmp/big.mp4"
expect 2 "--eval-samples is how many --eval-every judges" "$ganvas" train --eval-samples 10 --out "$tmp"
expect 2 "--metrics-csv needs a file name" "$ganvas" train --metrics-csv "" --out "$tmp"
expect 2 "--threads 1000: this machine has" "$ganvas" train --threads 1000 --out "$tmp"
expect 2 "--bench-frames runs frames of its own" "$ganvas" --headless --frames 5 --bench-frames 20
expect 2 "--steps-per-frame is for --content timelapse" "$ganvas" record --steps-per-frame 3 --out "$tmp/w.mp4"
expect 2 "--max-fps must be at least 0 and at most 1000, got -0.5" "$ganvas" --headless --frames 1 --max-fps -0.5
expect 2 "--grid must be between 1 and 64" "$ganvas" sample --checkpoint x --out y.png --grid 100
expect 2 "--dataset must be one of mnist, fashion, got 'cifar'" "$ganvas" train --steps 1 --out "$tmp" --dataset cifar
expect 2 "--device must be one of auto, cpu, cuda, got 'gpu'" "$ganvas" train --steps 1 --out "$tmp" --device gpu
expect 2 "--dataset must be one of" "$ganvas" --headless --frames 1 --dataset cifar
# A checkpoint that does not load fails before a window opens (without a display it said "no display").
expect 1 "$tmp/missing.safetensors: cannot open" env -u DISPLAY -u WAYLAND_DISPLAY "$ganvas" --checkpoint "$tmp/missing.safetensors"
expect 1 "$tmp/missing.safetensors: cannot open" "$ganvas" record --checkpoint "$tmp/missing.safetensors" --out "$tmp/never.mp4"
expect 1 "train-images-idx3-ubyte: cannot open" "$ganvas" train --steps 1 --out "$tmp" --data-dir "$tmp/empty"
echo "not a checkpoint" >"$tmp/bad.safetensors"
expect 1 "not a valid safetensors file" "$ganvas" sample --checkpoint "$tmp/bad.safetensors" --out "$tmp/x.png"
expect 0 "usage: ganvas train" "$ganvas" train --help
expect 0 "backend cpu:" "$ganvas" info

# A short run writes a checkpoint and a grid, then sample reads it back.
expect 0 "wrote $tmp/run/checkpoint.safetensors" "$ganvas" train --steps 20 --log-every 10 --out "$tmp/run" --data-dir "$mnist"
expect 0 "wrote $tmp/grid.png (4x4" "$ganvas" sample --checkpoint "$tmp/run/checkpoint.safetensors" --grid 4 --out "$tmp/grid.png"
if [ "$(head -c 8 "$tmp/grid.png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
  echo "FAIL: grid.png is not a PNG"
  failures=$((failures + 1))
fi
expect 0 "from step 20" "$ganvas" train --steps 5 --log-every 5 --resume "$tmp/run/checkpoint.safetensors" --out "$tmp/run2" --data-dir "$mnist"
expect 2 "--seed cannot be combined with --resume" "$ganvas" train --steps 5 --seed 3 --resume "$tmp/run/checkpoint.safetensors" --out "$tmp/run2"

# Judging digits: eval's first line is the FID, --json is one object, train --eval-every and
# --metrics-csv add the scores to the progress lines and a CSV.
expect 2 "needs --checkpoint" "$ganvas" eval
expect 2 "--samples must be between 2 and 60000" "$ganvas" eval --checkpoint x --samples 1
expect 2 "--eval-every judges MNIST digits only" "$ganvas" train --steps 1 --out "$tmp" --dataset fashion --eval-every 1
expect 1 "not a digit classifier" "$ganvas" eval --checkpoint "$tmp/run/checkpoint.safetensors" --classifier "$tmp/run/checkpoint.safetensors" --data-dir "$mnist"
expect 1 "t10k-images-idx3-ubyte: cannot open" "$ganvas" eval --checkpoint "$tmp/run/checkpoint.safetensors" --data-dir "$tmp"
first_line=$("$ganvas" eval --checkpoint "$tmp/run/checkpoint.safetensors" --samples 500 --data-dir "$mnist" | head -1)
if ! [[ "$first_line" =~ ^FID\ [0-9]+\.[0-9]+$ ]]; then
  echo "FAIL: eval's first line is '$first_line', not 'FID <value>'"
  failures=$((failures + 1))
fi
if ! "$ganvas" eval --checkpoint "$tmp/run/checkpoint.safetensors" --samples 500 --json --data-dir "$mnist" |
     python3 -c 'import json,sys; j=json.load(sys.stdin); g=j["generated"]; assert sum(g["coverage"]["counts"])==500 and g["fid"]>j["floor"]["fid"]'; then
  echo "FAIL: eval --json is not one object with 500 counted samples and a floor below the generator"
  failures=$((failures + 1))
fi
expect 0 "eval       20  FID" "$ganvas" train --steps 20 --log-every 10 --eval-every 10 --eval-samples 200 --out "$tmp/judged" --metrics-csv "$tmp/judged/metrics.csv" --data-dir "$mnist"
if [ "$(wc -l <"$tmp/judged/metrics.csv")" != 3 ] || [ "$(cut -d, -f1,6 "$tmp/judged/metrics.csv" | tail -1 | cut -d, -f1)" != 20 ] ||
   [ -z "$(cut -d, -f6 "$tmp/judged/metrics.csv" | tail -1)" ]; then
  echo "FAIL: --metrics-csv wrote: $(cat "$tmp/judged/metrics.csv")"
  failures=$((failures + 1))
fi

# Model variants: a conditional model draws the digit asked for; its options are checked.
expect 2 "--digit needs a conditional model" "$ganvas" sample --checkpoint "$tmp/run/checkpoint.safetensors" --digit 3 --out "$tmp/x.png"
expect 2 "--digit must be between 0 and 9" "$ganvas" sample --checkpoint "$tmp/run/checkpoint.safetensors" --digit 12 --out "$tmp/x.png"
expect 2 "--model must be one of tutorial, conditional, got 'big'" "$ganvas" train --steps 1 --out "$tmp" --model big
expect 2 "--loss must be one of nonsaturating, minimax, least-squares, hinge" "$ganvas" train --steps 1 --out "$tmp" --loss wgan
expect 2 "unknown preset 'fast'" "$ganvas" train --steps 1 --out "$tmp" --preset fast
expect 2 "--model cannot be combined with --resume" "$ganvas" train --steps 1 --resume "$tmp/run/checkpoint.safetensors" --model conditional --out "$tmp"
expect 2 "--layers must be between 1 and 2, got 3" "$ganvas" train --steps 1 --out "$tmp" --layers 3
if "$ganvas" info | grep -q "backend cuda: no "; then
  expect 1 "the cuda backend cannot be used: no " "$ganvas" train --steps 1 --out "$tmp" --model conditional \
    --device cuda --data-dir "$mnist"
fi
expect 0 "model: conditional GAN 110-16-16-784 / 794-16-16-1, relu" "$ganvas" train --steps 5 --model conditional --layers 2 \
  --hidden 16 --out "$tmp/deep" --data-dir "$mnist"
expect 0 "model: conditional GAN 110-32-784 / 794-32-1, leaky-relu, hinge loss, sgd" "$ganvas" train --steps 20 --log-every 10 \
  --model conditional --hidden 32 --activation leaky-relu --loss hinge --optimizer sgd --lr 0.01 --out "$tmp/cgan" --data-dir "$mnist"
expect 0 "wrote $tmp/seven.png (3x3" "$ganvas" sample --checkpoint "$tmp/cgan/checkpoint.safetensors" --digit 7 --grid 3 --out "$tmp/seven.png"
# Without NVIDIA's driver, a CUDA build says so in those words, once (it said "CUDA driver version is
# insufficient for CUDA runtime version", which reads as "upgrade your driver").
if [ ! -e /proc/driver/nvidia/version ] && ! "$ganvas" info | grep -q "backend cuda: not built"; then
  expect 0 "backend cuda: no NVIDIA driver found" "$ganvas" info
  out=$("$ganvas" train --steps 1 --out "$tmp/nodriver" --data-dir "$mnist" 2>&1)
  if [ "$(grep -c "NVIDIA" <<<"$out")" != 1 ] || ! grep -qF "CUDA: no NVIDIA driver found; training on the CPU" <<<"$out"; then
    echo "FAIL: train without NVIDIA's driver: $out"
    failures=$((failures + 1))
  fi
fi
# Outputs are named by where they are, whatever folder the command ran in (a relative name left a
# user who started it elsewhere, or read its log later, looking for the file).
expect 0 "wrote $tmp/relative.png (" bash -c "cd '$tmp' && exec '$ganvas' sample --checkpoint run/checkpoint.safetensors --out relative.png"
# A conditional model's grid has a row for each of the ten digits (6x6 showed 0 to 5 only).
expect 0 "wrote $tmp/digits.png (10x10" "$ganvas" sample --checkpoint "$tmp/cgan/checkpoint.safetensors" --out "$tmp/digits.png"
expect 0 "wrote $tmp/six.png (6x6" "$ganvas" sample --checkpoint "$tmp/cgan/checkpoint.safetensors" --grid 6 --out "$tmp/six.png"
expect 0 "asked-for digit drawn" "$ganvas" eval --checkpoint "$tmp/cgan/checkpoint.safetensors" --samples 200 --data-dir "$mnist"
expect 0 "from step 20" "$ganvas" train --steps 5 --log-every 5 --resume "$tmp/cgan/checkpoint.safetensors" --out "$tmp/cgan2" --data-dir "$mnist"

# Started from another folder with no --data-dir, ganvas finds the MNIST the set-up fetched; where
# there is none, it says where it looked.
mkdir -p "$tmp/home/.local/share/ganvas" && ln -s "$mnist" "$tmp/home/.local/share/ganvas/mnist"
expect 0 "training on mnist: 55000 images" \
  bash -c "cd '$tmp' && env -u GANVAS_DATA_DIR HOME='$tmp/home' XDG_DATA_HOME= '$ganvas' train --steps 2 --log-every 1 --out '$tmp/anywhere'"
expect 1 "Looked for MNIST in $tmp/empty" env GANVAS_DATA_DIR="$tmp/empty" "$ganvas" train --steps 1 --out "$tmp/none"
# (Mesa's GL leaks a few bytes LeakSanitizer cannot attribute, as in the GL test suites.)
expect 0 "Looked for MNIST in $tmp/empty" env GANVAS_DATA_DIR="$tmp/empty" ASAN_OPTIONS=detect_leaks=0 "$ganvas" --headless --frames 2

# Hostile inputs and faults get one clear line and a non-zero exit.
python3 - "$tmp/run/checkpoint.safetensors" "$tmp/last-step.safetensors" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
header["__metadata__"]["step"] = str(2**64 - 1)
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
open(sys.argv[2], "wb").write(struct.pack("<Q", len(text)) + text + data[8 + n:])
PY
expect 1 "metadata 'step' is 18446744073709551615, past 2^62" "$ganvas" train --steps 5 --resume "$tmp/last-step.safetensors" --out "$tmp/wrap" --data-dir "$mnist"
mkfifo "$tmp/fifo.safetensors"
expect 1 "is a FIFO, not a regular file" timeout 20 "$ganvas" sample --checkpoint "$tmp/fifo.safetensors" --out "$tmp/x.png"
expect 1 "is a directory, not a regular file" "$ganvas" sample --checkpoint "$tmp" --out "$tmp/x.png"
expect 1 "a timelapse trains the GAN and needs MNIST" env GANVAS_DATA_DIR="$tmp/empty" "$ganvas" record --content timelapse --out "$tmp/t.mp4"
expect 2 "--steps must be between 1 and 100000000, got 18446744073709551615" "$ganvas" train --steps 18446744073709551615 --out "$tmp"
expect 2 "--lr must be above 0 and at most 1, got -1" "$ganvas" train --lr -1 --out "$tmp"
quality_out=$("$ganvas" record --quality 0 --out "$tmp/q.mp4" 2>&1)
if grep -q "CUDA" <<<"$quality_out"; then
  echo "FAIL: record --quality 0 set up a backend before refusing the option: $quality_out"
  failures=$((failures + 1))
fi
# A full disk while recording (a file-size limit makes writes fail with EFBIG): no file under the
# final name, the incomplete one kept as .partial, and the message says so.
expect 1 "the incomplete video is kept as $tmp/full.mp4.partial" \
  bash -c "ulimit -f 100; trap '' XFSZ; ASAN_OPTIONS=detect_leaks=0 exec '$ganvas' record --seconds 10 --out '$tmp/full.mp4'"
if [ -e "$tmp/full.mp4" ] || [ ! -e "$tmp/full.mp4.partial" ]; then
  echo "FAIL: a recording that hit a full disk left $(ls "$tmp" | grep full | tr '\n' ' ')"
  failures=$((failures + 1))
fi
# The same for a checkpoint (the previous one stays whole, no temporary remains) and a PNG.
cp "$tmp/run/checkpoint.safetensors" "$tmp/before.safetensors"
expect 1 "File too large" bash -c "ulimit -f 1000; trap '' XFSZ; exec '$ganvas' train --steps 2 --resume '$tmp/run/checkpoint.safetensors' --out '$tmp/run' --data-dir '$mnist'"
if ! cmp -s "$tmp/before.safetensors" "$tmp/run/checkpoint.safetensors" || ls "$tmp/run" | grep -q '\.tmp\.'; then
  echo "FAIL: a checkpoint save that hit a full disk changed the old file or left a temporary"
  failures=$((failures + 1))
fi
expect 1 "File too large" bash -c "ulimit -f 20; trap '' XFSZ; exec '$ganvas' sample --checkpoint '$tmp/run/checkpoint.safetensors' --grid 64 --out '$tmp/big.png'"
if ls "$tmp" | grep -q '^big\.png'; then
  echo "FAIL: a PNG that hit a full disk left $(ls "$tmp" | grep big | tr '\n' ' ')"
  failures=$((failures + 1))
fi

# SIGINT / SIGTERM stop cleanly: train writes its outputs at the step reached, a recording is
# finalized under its final name, and both exit 0.
"$ganvas" train --steps 100000000 --log-every 100000 --out "$tmp/stopped" --data-dir "$mnist" >"$tmp/stopped.log" 2>&1 &
pid=$!
sleep 3
kill -INT $pid
if ! wait $pid || ! grep -q "stopped by a signal at step" "$tmp/stopped.log" ||
   ! "$ganvas" sample --checkpoint "$tmp/stopped/checkpoint.safetensors" --out "$tmp/stopped.png" >/dev/null; then
  echo "FAIL: train did not stop cleanly on SIGINT: $(cat "$tmp/stopped.log")"
  failures=$((failures + 1))
fi
ASAN_OPTIONS=detect_leaks=0 "$ganvas" record --seconds 600 --size 320x240 --out "$tmp/stopped.mp4" >"$tmp/rec.log" 2>&1 &
pid=$!
sleep 4
kill -TERM $pid
if ! wait $pid || [ ! -s "$tmp/stopped.mp4" ] || [ -e "$tmp/stopped.mp4.partial" ]; then
  echo "FAIL: record did not finish its video on SIGTERM: $(cat "$tmp/rec.log")"
  failures=$((failures + 1))
fi

# (That SIGINT reached a background job of this script, which starts with SIGINT ignored: the
# handlers are installed over an inherited "ignore", so SIGINT means "stop cleanly" in every start.)

# signal_after DELAY SIGNAL LOG COMMAND...: runs COMMAND in the background, sends it SIGNAL after
# DELAY seconds, waits up to 10 s for it to end (then kills it) and prints its exit status, or "hung".
signal_after() {
  local delay=$1 signal=$2 log=$3
  shift 3
  "$@" >"$log" 2>&1 &
  local pid=$!
  sleep "$delay"
  kill -"$signal" $pid
  for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    wait $pid 2>/dev/null
    echo hung
    return
  fi
  wait $pid
  echo $?
}

# eval, train-classifier and sample have nothing worth keeping when cut short: the first signal ends
# them at once with one line and 128 + its number, as a shell reports it; nothing is written, and a
# folder made for the output goes again.
status=$(signal_after 0.5 INT "$tmp/eval.log" "$ganvas" eval --checkpoint "$tmp/run/checkpoint.safetensors" --samples 60000 --data-dir "$mnist")
if [ "$status" != 130 ] || ! grep -qx "ganvas: stopped by SIGINT before the end; nothing was written" "$tmp/eval.log" ||
   grep -q "^FID" "$tmp/eval.log"; then
  echo "FAIL: eval did not stop at SIGINT (exit $status): $(cat "$tmp/eval.log")"
  failures=$((failures + 1))
fi
status=$(signal_after 1.5 TERM "$tmp/classifier.log" "$ganvas" train-classifier --epochs 1000 --out "$tmp/cls/c.safetensors" --data-dir "$mnist")
if [ "$status" != 143 ] || ! grep -qx "ganvas: stopped by SIGTERM before the end; nothing was written" "$tmp/classifier.log" ||
   [ -e "$tmp/cls" ]; then
  echo "FAIL: train-classifier did not stop at SIGTERM (exit $status, $(ls "$tmp/cls" 2>&1)): $(cat "$tmp/classifier.log")"
  failures=$((failures + 1))
fi

# A signal at any moment after ganvas's own code starts is a stop request. A library whose initializer
# takes 1.5 s stretches the moment before main (where OpenBLAS starts its threads and, on older CPUs,
# ganvas re-executes itself) in which a signal ended the process: it is held back from the first
# instruction of ganvas's own and handled once main has installed the handlers. (Before that, the
# dynamic loader maps ganvas's libraries: a signal then still takes its default course.)
slow_start=$tmp/slow_start.so
if printf '#include <unistd.h>\n__attribute__((constructor)) static void slow(void) { usleep(1500000); }\n' |
     cc -shared -fPIC -x c -o "$slow_start" - 2>/dev/null; then
  # (AddressSanitizer's runtime wants to be the first library; this one comes before it.)
  slow=(env LD_PRELOAD="$slow_start" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
  status=$(signal_after 0.7 TERM "$tmp/early.log" "${slow[@]}" "$ganvas" train --steps 100000000 --out "$tmp/early" --data-dir "$mnist")
  if [ "$status" != 0 ] || ! grep -q "stopped by a signal at step 0" "$tmp/early.log" ||
     ! "$ganvas" sample --checkpoint "$tmp/early/checkpoint.safetensors" --out "$tmp/early.png" >/dev/null; then
    echo "FAIL: train did not stop cleanly at a SIGTERM before main (exit $status): $(cat "$tmp/early.log")"
    failures=$((failures + 1))
  fi
  # Started with SIGINT ignored (a background job of a script without job control), from the start too.
  status=$(signal_after 0.7 INT "$tmp/ignored.log" bash -c "trap '' INT; exec \"\$@\"" - "${slow[@]}" "$ganvas" train \
    --steps 100000000 --out "$tmp/ignored" --data-dir "$mnist")
  if [ "$status" != 0 ] || ! grep -q "stopped by a signal at step 0" "$tmp/ignored.log" || [ ! -f "$tmp/ignored/checkpoint.safetensors" ]; then
    echo "FAIL: train started with SIGINT ignored lost a SIGINT before main (exit $status): $(cat "$tmp/ignored.log")"
    failures=$((failures + 1))
  fi
  status=$(signal_after 0.7 TERM "$tmp/early-sample.log" "${slow[@]}" "$ganvas" sample --checkpoint "$tmp/run/checkpoint.safetensors" \
    --out "$tmp/early-sample/grid.png")
  if [ "$status" != 143 ] || ! grep -qx "ganvas: stopped by SIGTERM before the end; nothing was written" "$tmp/early-sample.log" ||
     [ -e "$tmp/early-sample" ]; then
    echo "FAIL: sample did not stop at a SIGTERM before main (exit $status): $(cat "$tmp/early-sample.log")"
    failures=$((failures + 1))
  fi
else
  echo "note: no C compiler (cc): the signals before main are not checked"
fi

# A learning rate far above what the optimizer trains this GAN with is named before the steps, and
# the saturation it causes once, as it happens; a sensible rate says nothing.
warnings=$("$ganvas" train --steps 40 --log-every 10 --lr 1 --out "$tmp/lr1" --data-dir "$mnist" 2>&1 >/dev/null)
if [ "$(grep -c "^ganvas: warning: learning rate 1 (G and D) is far above what adam trains this GAN with (at most 0.01" <<<"$warnings")" != 1 ] ||
   [ "$(grep -c "^ganvas: warning: D(G(z)) stayed below 0.001 from step 10 to step 20: .*likely cause: learning rate 1" <<<"$warnings")" != 1 ] ||
   [ "$(grep -c . <<<"$warnings")" != 2 ]; then
  echo "FAIL: train --lr 1 warned: '$warnings'"
  failures=$((failures + 1))
fi
expect 0 "learning rate 0.5 (G and D) is far above what sgd trains this GAN with (at most 0.1)" "$ganvas" train --steps 1 \
  --optimizer sgd --lr 0.5 --out "$tmp/sgd" --data-dir "$mnist"
if "$ganvas" train --steps 1 --lr 0.01 --out "$tmp/sensible" --data-dir "$mnist" 2>&1 | grep -q warning; then
  echo "FAIL: train --lr 0.01 warned"
  failures=$((failures + 1))
fi

# A run folder: train --out writes one; the window reopens and follows it and says what it showed.
expect 0 "wrote" "$ganvas" train --steps 20 --log-every 10 --out "$tmp/run folder" --data-dir "$mnist"
for file in run.json metrics.csv checkpoint.safetensors; do
  [ -f "$tmp/run folder/$file" ] || { echo "FAIL: train --out wrote no $file"; failures=$((failures + 1)); }
done
# (Mesa's EGL leaves allocations behind at exit, which LeakSanitizer would report as ganvas's.)
expect 0 "showing step 20 of run $tmp/run folder" env ASAN_OPTIONS=detect_leaks=0 "$ganvas" --headless --frames 3 --paused \
  --run "$tmp/run folder" --data-dir "$mnist"
expect 0 "showing step 20 of run $tmp/run folder" env ASAN_OPTIONS=detect_leaks=0 "$ganvas" --headless --frames 3 \
  --follow "$tmp/run folder"
expect 2 "give one" "$ganvas" --headless --frames 3 --run "$tmp/run folder" --follow "$tmp/run folder"
expect 2 "holds no run" "$ganvas" --headless --frames 3 --compare "$tmp/sgd,$tmp/nowhere"
expect 2 "--content compare needs two to four" "$ganvas" record --content compare --runs "$tmp/run folder" --out "$tmp/c.mp4"

if [ $failures -ne 0 ]; then
  echo "$failures CLI check(s) failed"
  exit 1
fi
echo "all CLI checks passed"
