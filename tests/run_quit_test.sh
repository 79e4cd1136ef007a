#!/usr/bin/env bash
# Every way out of the window keeps its run: Esc, Ctrl+Q, the window's close button, SIGTERM and
# SIGINT each leave DIR/checkpoint.safetensors loadable, at the step the window showed last (the
# autosave interval is an hour here, so the save on the way out is the one tested).
set -u
ganvas=$1
mnist=$2
send=$3  # tests/tools/x11_send.c
tmp=$(mktemp -d)
export XDG_DATA_HOME="$tmp/user-data"
exec 3>"$tmp/display"
Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -s "$tmp/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$tmp/display")"
failures=0

fail() {
  echo "FAIL ($1): $2"
  sed 's/^/    /' "$tmp/$1.log"
  failures=$((failures + 1))
}

quit_by() {
  local way=$1 dir="$tmp/run-$1"
  "$ganvas" --run "$dir" --autosave-minutes 60 --size 800x600 --data-dir "$mnist" >"$tmp/$way.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do "$send" ganvas keys Shift_L >/dev/null 2>&1 && break; sleep 0.1; done  # the window is up
  sleep 4  # training
  case $way in
    escape) "$send" ganvas keys Escape ;;
    ctrl-q) "$send" ganvas keys Control_L q ;;
    close) "$send" ganvas close ;;
    sigterm) kill -TERM $pid ;;
    sigint) kill -INT $pid ;;
  esac
  for _ in $(seq 300); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    fail "$way" "the window did not close within 30 s"
    return
  fi
  wait $pid
  local shown
  shown=$(sed -n 's/^showing step \([0-9]*\) of run .*/\1/p' "$tmp/$way.log")
  if [ -z "$shown" ] || [ "$shown" -lt 1 ]; then
    fail "$way" "no 'showing step N of run DIR' after training"
    return
  fi
  local sampled
  sampled=$("$ganvas" sample --checkpoint "$dir/checkpoint.safetensors" --out "$tmp/$way.png" 2>&1)
  if ! grep -q "step $shown)" <<<"$sampled"; then
    fail "$way" "the checkpoint is not the step shown ($shown): $sampled"
    return
  fi
  echo "$way: the run was kept at step $shown, the step shown last"
}

for way in escape ctrl-q close sigterm sigint; do quit_by "$way"; done
[ "$failures" = 0 ] && echo "every way out kept the run"
exit $((failures > 0))
