#!/usr/bin/env bash
# Paths and files that lie, from the command line: outputs that are not plain files are refused (a
# symbolic link is written through), outputs that cannot be written fail before the work, padded
# inputs are refused unread, waits end at a stop signal, plugins are found where named, a data
# folder the user named is read or the run fails, gzipped MNIST trains under its .gz names, labels
# and checkpoint counters that are out of range are refused, and --save-every numbers its last grid.
set -u
ganvas=$1
mnist=$2
plugin=$3
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/user-data"  # the runs a window keeps go here, not into the user's folder
trap 'rm -rf "$tmp"' EXIT
failures=0
export ASAN_OPTIONS=detect_leaks=0  # Mesa's GL leaks a few bytes LeakSanitizer cannot attribute
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect STATUS PATTERN COMMAND...: the command exits with STATUS within 60 s and prints PATTERN.
expect() {
  local status=$1 pattern=$2
  shift 2
  local out
  out=$(timeout 60 "$@" 2>&1)
  local got=$?
  if [ "$got" != "$status" ] || ! grep -qF -- "$pattern" <<<"$out"; then fail "$* -> exit $got (wanted $status), output: $out"; fi
}

# peak_rss_mb COMMAND...: runs it and prints the largest resident size of its process, in MB.
peak_rss_mb() {
  python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)' "$@"
}

checkpoint=$tmp/run/checkpoint.safetensors
expect 0 "wrote $checkpoint" "$ganvas" train --steps 2 --out "$tmp/run" --data-dir "$mnist"

# Outputs that are not plain files are refused, and stay what they were.
mkfifo "$tmp/fifo.png"
expect 1 "fifo.png: is a FIFO, not a file" "$ganvas" sample --checkpoint "$checkpoint" --out "$tmp/fifo.png"
[ -p "$tmp/fifo.png" ] || fail "the FIFO given as --out was replaced"
if mknod "$tmp/null" c 1 3 2>/dev/null; then
  expect 1 "null: is a device, not a file" "$ganvas" sample --checkpoint "$checkpoint" --out "$tmp/null"
  [ -c "$tmp/null" ] || fail "the device given as --out was replaced"
fi
expect 1 "is a directory, not a file" "$ganvas" record --seconds 600 --out "$tmp"
[ ! -e "$tmp.partial" ] || fail "record into a directory left $tmp.partial"
# A symbolic link is written through: the link stays, the file it names gets the PNG.
echo "old" >"$tmp/grid.png"
ln -s grid.png "$tmp/link.png"
expect 0 "wrote $tmp/link.png" "$ganvas" sample --checkpoint "$checkpoint" --out "$tmp/link.png"
[ -L "$tmp/link.png" ] || fail "the symbolic link given as --out was replaced by a file"
[ "$(head -c 4 "$tmp/grid.png" | od -An -tx1 | tr -d ' \n')" = "89504e47" ] || fail "the link's file did not get the PNG"

# A link to a folder that does not exist: refused, naming both, and no folder is made there.
ln -s "$tmp/nowhere/grid.png" "$tmp/dangling.png"
expect 1 "cannot write $tmp/dangling.png (a link to $tmp/nowhere/grid.png)" "$ganvas" sample --checkpoint "$checkpoint" --out "$tmp/dangling.png"
[ ! -e "$tmp/nowhere" ] || fail "writing through a dangling link made the folder it points into"

# Outputs that cannot be written fail before the work: these would run for hours first.
touch "$tmp/file"
expect 1 "cannot write $tmp/file/run/checkpoint.safetensors" "$ganvas" train --steps 100000000 --out "$tmp/file/run" --data-dir "$mnist"
expect 1 "cannot write $tmp/file/m.csv" "$ganvas" train --steps 100000000 --out "$tmp/ok" --metrics-csv "$tmp/file/m.csv" --data-dir "$mnist"
expect 1 "is a directory, not a file" "$ganvas" train-classifier --epochs 1000 --out "$tmp" --data-dir "$mnist"
expect 1 "cannot write $tmp/file/v.mp4" "$ganvas" record --seconds 600 --out "$tmp/file/v.mp4"

# Inputs padded to gigabytes (sparse files) are refused before they are read.
cp "$checkpoint" "$tmp/padded.safetensors"
truncate -s 4G "$tmp/padded.safetensors"
expect 1 "bytes of data belong to no tensor" "$ganvas" sample --checkpoint "$tmp/padded.safetensors" --out "$tmp/x.png"
rss=$(peak_rss_mb "$ganvas" sample --checkpoint "$tmp/padded.safetensors" --out "$tmp/x.png")
[ "$rss" -lt 1000 ] || fail "a checkpoint padded to 4 GiB took $rss MB to refuse"
mkdir "$tmp/padded-mnist"
for f in "$mnist"/*; do ln -s "$f" "$tmp/padded-mnist/"; done
rm "$tmp/padded-mnist/train-images-idx3-ubyte"
cp "$mnist/train-images-idx3-ubyte" "$tmp/padded-mnist/"
truncate -s 4G "$tmp/padded-mnist/train-images-idx3-ubyte"
expect 1 "bytes beyond what the header describes" "$ganvas" train --steps 1 --out "$tmp/ok" --data-dir "$tmp/padded-mnist"
rss=$(peak_rss_mb "$ganvas" train --steps 1 --out "$tmp/ok" --data-dir "$tmp/padded-mnist")
[ "$rss" -lt 1000 ] || fail "MNIST images padded to 4 GiB took $rss MB to refuse"

# A frame cap of one frame in 1,000 s still ends at SIGTERM, at once and cleanly.
"$ganvas" --headless --frames 5 --max-fps 0.001 --data-dir "$mnist" >"$tmp/slow.log" 2>&1 &
pid=$!
sleep 3
kill -TERM $pid
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  kill -KILL $pid
  fail "a wait between frames ignored SIGTERM for 5 s"
elif ! wait $pid; then
  fail "SIGTERM during a wait between frames did not end cleanly: $(cat "$tmp/slow.log")"
fi

# Plugins: a FIFO is refused at once; a bare file name is the file in this folder.
mkfifo "$tmp/plugin.so"
expect 1 "is a FIFO, not a regular file" "$ganvas" --plugin "$tmp/plugin.so" --headless --frames 2
expect 0 "rendered 2 frames" bash -c "cd '$(dirname "$plugin")' && '$ganvas' --plugin '$(basename "$plugin")' --headless --frames 2 --data-dir '$mnist'"

# A data folder the user named is read, or the run fails; the search path alone falls back.
expect 1 "$tmp/empty/train-images-idx3-ubyte: cannot open" "$ganvas" --headless --frames 2 --data-dir "$tmp/empty"
mkdir "$tmp/short-mnist"
for f in "$mnist"/*; do cp "$f" "$tmp/short-mnist/"; done
truncate -s 100000 "$tmp/short-mnist/train-images-idx3-ubyte"
expect 1 "truncated" "$ganvas" record --content timelapse --seconds 1 --out "$tmp/t.mp4" --data-dir "$tmp/short-mnist"
[ ! -e "$tmp/t.mp4" ] || fail "a timelapse without data wrote a video"

# Data and checkpoints that are almost right: MNIST under its gzipped names trains; a label that is
# no digit, and a step counter that is no whole number, are refused with the place named.
mkdir "$tmp/gz-mnist"
for f in "$mnist"/*; do gzip -c "$f" >"$tmp/gz-mnist/$(basename "$f").gz"; done
expect 0 "training on mnist: 55000 images" "$ganvas" train --steps 2 --out "$tmp/gz" --data-dir "$tmp/gz-mnist"
mkdir "$tmp/bad-labels"
for f in "$mnist"/*; do ln -s "$f" "$tmp/bad-labels/"; done
rm "$tmp/bad-labels/train-labels-idx1-ubyte"
python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[8 + 7] = 200; open(sys.argv[2], "wb").write(d)' \
  "$mnist/train-labels-idx1-ubyte" "$tmp/bad-labels/train-labels-idx1-ubyte"
expect 1 "train-labels-idx1-ubyte: label 7 is 200, not a class from 0 to 9" "$ganvas" train --steps 1 --out "$tmp/ok" --data-dir "$tmp/bad-labels"
python3 - "$checkpoint" "$tmp/minus.safetensors" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
header["__metadata__"]["step"] = "-5"
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
open(sys.argv[2], "wb").write(struct.pack("<Q", len(text)) + text + data[8 + n:])
PY
expect 1 "metadata 'step' is not a whole number from 0 up: '-5'" "$ganvas" sample --checkpoint "$tmp/minus.safetensors" --out "$tmp/x.png"
# --resume trains on as the checkpoint recorded: rates, batch, schedule, data; an option given again wins.
expect 0 "wrote $tmp/fast/checkpoint.safetensors" "$ganvas" train --steps 2 --lr 1e-3 --batch 64 --alternate 2 --out "$tmp/fast" --data-dir "$mnist"
expect 0 "lr G 0.001, lr D 0.001, batch 64, alternating, 2 D step(s) per G step, mnist (5,000 held out)" \
  "$ganvas" train --steps 1 --resume "$tmp/fast/checkpoint.safetensors" --out "$tmp/fast2" --data-dir "$mnist"
expect 0 "batch 32, alternating" "$ganvas" train --steps 1 --resume "$tmp/fast2/checkpoint.safetensors" --batch 32 --out "$tmp/fast3" --data-dir "$mnist"
# --save-every writes its numbered grid at the last step too.
expect 0 "samples.png (step 4)" "$ganvas" train --steps 4 --save-every 2 --out "$tmp/every" --data-dir "$mnist"
for step in 2 4; do [ -f "$tmp/every/samples-step000000$step.png" ] || fail "--save-every 2 of 4 steps wrote no grid for step $step"; done

# One run per --out folder: a second train on a folder another is writing fails at once, naming the
# process that holds it (two on one folder alternated their checkpoints). The lock file goes with
# the run that made it; one left by a killed run is taken over and left in place; a symbolic link
# at its name is refused, never followed.
"$ganvas" train --steps 100000000 --log-every 100000 --out "$tmp/shared" --data-dir "$mnist" >"$tmp/first.log" 2>&1 &
first=$!
for _ in $(seq 100); do grep -q "^training on" "$tmp/first.log" && break; sleep 0.1; done
expect 1 "$tmp/shared is in use by process $first on $(uname -n), which holds $tmp/shared/.ganvas.lock" \
  "$ganvas" train --steps 5 --seed 3 --out "$tmp/shared" --data-dir "$mnist"
kill -INT $first
wait $first || fail "the run that held the lock did not stop cleanly: $(cat "$tmp/first.log")"
[ ! -e "$tmp/shared/.ganvas.lock" ] || fail "the lock file outlived the run that made it"
mkdir "$tmp/stale"
echo "999999 elsewhere" >"$tmp/stale/.ganvas.lock"
expect 0 "wrote $tmp/stale/checkpoint.safetensors" "$ganvas" train --steps 1 --out "$tmp/stale" --data-dir "$mnist"
[ -f "$tmp/stale/.ganvas.lock" ] || fail "a run removed a lock file it did not make"
mkdir "$tmp/linked"
ln -s "$tmp/lock-target" "$tmp/linked/.ganvas.lock"
expect 1 "$tmp/linked/.ganvas.lock is a symbolic link" "$ganvas" train --steps 1 --out "$tmp/linked" --data-dir "$mnist"
[ ! -e "$tmp/lock-target" ] || fail "the lock was taken through a symbolic link"

# A refused --out leaves no folder behind: this one (4,080 characters) can be made, but no file in it
# can be named (PATH_MAX), so the check fails after making its folders.
long=$tmp/long
while [ ${#long} -lt 3880 ]; do long=$long/$(printf '%0200d' 0); done
long=$long/$(printf '%0*d' $((4080 - ${#long} - 1)) 0)
expect 1 "File name too long" "$ganvas" train --steps 1 --out "$long" --data-dir "$mnist"
[ ! -e "$tmp/long" ] || fail "train with a --out too long left its folders"
expect 1 "File name too long" "$ganvas" sample --checkpoint "$checkpoint" --out "$long/x.png"
[ ! -e "$tmp/long" ] || fail "sample with a --out too long left its folders"
expect 1 "File name too long" "$ganvas" train-classifier --out "$long/c.safetensors" --data-dir "$mnist"
[ ! -e "$tmp/long" ] || fail "train-classifier with a --out too long left its folders"

if [ $failures -ne 0 ]; then
  echo "$failures path check(s) failed"
  exit 1
fi
echo "all path checks passed"
