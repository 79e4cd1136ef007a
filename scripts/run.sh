#!/usr/bin/env bash
# ganvas's main job on a fresh Debian 12 machine: installs what it needs, fetches MNIST, builds,
# then opens the visualizer (training live, digit grid, latent explorer). Without a display it
# renders headless instead: 600 frames while training, and says where it wrote the last one.
# Arguments, when given, go to ganvas itself (e.g. 'train --steps 20000 --out out/long').
set -euo pipefail
source "$(dirname "$0")/common.sh"

install_packages "${GANVAS_PACKAGES[@]}"
fetch_mnist
log "building (Release) in build/"
build build >/dev/null

cd "$GANVAS_ROOT"
ganvas=("$GANVAS_ROOT/build/gan/ganvas")
if [ $# -gt 0 ]; then
  exec "${ganvas[@]}" "$@"
elif [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "${ganvas[@]}" --data-dir "$GANVAS_ROOT/data/mnist"
else
  log "no display: rendering headless"
  exec "${ganvas[@]}" --headless --frames 600 --screenshot "$GANVAS_ROOT/out/visualizer.png" \
    --data-dir "$GANVAS_ROOT/data/mnist"
fi
