#!/usr/bin/env bash
# A real window under Xvfb: open it, render frames while training, save the last one, close cleanly.
set -eu
ganvas=$1
mnist=$2
out=$(mktemp -d)
export XDG_DATA_HOME="$out/user-data"  # the runs a window keeps go here, not into the user's folder
trap 'rm -rf "$out"' EXIT
xvfb-run -a -s "-screen 0 1280x720x24" "$ganvas" --frames 90 --size 1024x640 --screenshot "$out/window.png" \
  --data-dir "$mnist" | tee "$out/log"
grep -q "^ganvas visualizer: window" "$out/log"
grep -q "wrote $out/window.png" "$out/log"
python3 "$(dirname "$0")/png_stats.py" "$out/window.png" 1024 640
# Without a display and without --headless: one clear line and a non-zero exit.
if env -u DISPLAY -u WAYLAND_DISPLAY "$ganvas" --frames 1 >"$out/nodisplay" 2>&1; then
  echo "FAIL: ganvas started without a display"
  exit 1
fi
grep -q "no display" "$out/nodisplay" && grep -q -- "--headless" "$out/nodisplay"
echo "window smoke test passed"
