#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs to pass ganvas's tests: packages, MNIST, a Release
# build and its test suite, then an AddressSanitizer + UndefinedBehaviorSanitizer build and suite.
set -euo pipefail
source "$(dirname "$0")/common.sh"

install_packages "${GANVAS_PACKAGES[@]}"
fetch_mnist

log "building (Release) in build/"
build build
log "running the tests (CUDA tests skip where no device is usable)"
(cd "$GANVAS_ROOT/build" && ctest --output-on-failure -j"$(nproc)")

log "building with AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/"
build build-asan -DGANVAS_SANITIZE=ON -DGANVAS_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
log "running the tests under the sanitizers"
(cd "$GANVAS_ROOT/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$(nproc)")
