#!/usr/bin/env bash
# SIGKILL at random moments of a run that saves every step: the checkpoint always loads, training
# resumes from it, and the next save removes the temporaries the killed saves left.
set -u
ganvas=$1
mnist=$2
kills=${3:-50}
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/user-data"  # the runs a window keeps go here, not into the user's folder
trap 'rm -rf "$tmp"' EXIT
dir=$tmp/run
"$ganvas" train --steps 1 --out "$dir" --data-dir "$mnist" >/dev/null || exit 1
mid_save=0
for i in $(seq "$kills"); do
  "$ganvas" train --steps 100000 --save-every 1 --log-every 100000 --resume "$dir/checkpoint.safetensors" \
    --out "$dir" --data-dir "$mnist" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$((RANDOM % 50 + 40))"  # 0.40-0.89 s: after start-up, while it trains and saves
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  if ls "$dir" | grep -q '\.ganvas-tmp\.'; then mid_save=$((mid_save + 1)); fi
  if ! "$ganvas" sample --checkpoint "$dir/checkpoint.safetensors" --out "$tmp/check.png" >/dev/null; then
    echo "FAIL: after kill $i the checkpoint does not load"
    exit 1
  fi
  rm -f "$dir"/samples-step*.png
done
"$ganvas" train --steps 1 --resume "$dir/checkpoint.safetensors" --out "$dir" --data-dir "$mnist" >/dev/null || exit 1
if ls "$dir" | grep -q '\.ganvas-tmp\.'; then
  echo "FAIL: temporaries remain after the next save: $(ls "$dir" | grep '\.ganvas-tmp\.' | tr '\n' ' ')"
  exit 1
fi
echo "$kills kills ($mid_save during a save): every checkpoint loaded, no temporary left after the next save"
