#!/usr/bin/env bash
# ganvas's main job on a fresh Debian 12 machine: installs what it needs, fetches MNIST, builds,
# then trains the tutorial GAN headless and says where the checkpoint and the digit grid are.
# Arguments are passed to 'ganvas train' (default: --steps 5000 --out out/run).
set -euo pipefail
source "$(dirname "$0")/common.sh"

install_packages "${GANVAS_PACKAGES[@]}"
fetch_mnist
log "building (Release) in build/"
build build >/dev/null

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--steps 5000 --out "$GANVAS_ROOT/out/run")
cd "$GANVAS_ROOT"
exec "$GANVAS_ROOT/build/gan/ganvas" train --data-dir "$GANVAS_ROOT/data/mnist" "${args[@]}"
