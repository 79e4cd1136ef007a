#!/usr/bin/env bash
# Everything a fresh Debian 12 machine needs to pass ganvas's tests: packages, MNIST, a Release
# build and its test suite, an AddressSanitizer + UndefinedBehaviorSanitizer build and suite, a
# ThreadSanitizer build of the threaded parts' tests, and the file parsers' fuzzers (Clang).
set -euo pipefail
source "$(dirname "$0")/common.sh"

install_packages "${GANVAS_PACKAGES[@]}"
fetch_mnist

# The checking builds keep line tables only (-g1): their reports name files and lines, and they
# compile about a quarter faster than with full debug information.
CHECK_FLAGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
# The AddressSanitizer build optimizes at -O1, which its documentation names as enough for reasonable
# speed: its instrumentation makes -O2 slow to compile (nlohmann/json's parser alone: 20 s a file
# instead of 8). Measured against -O2: the build took 2.5 minutes instead of 3.5, its suite 13 s
# longer. ThreadSanitizer's build gained nothing at -O1 and its tests ran slower, so it keeps -O2.
ASAN_FLAGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG")

log "building (Release) in build/"
build build
log "running the tests (CUDA tests skip where no device is usable)"
(cd "$GANVAS_ROOT/build" && ctest --output-on-failure -j"$(nproc)")

log "building with AddressSanitizer and UndefinedBehaviorSanitizer in build-asan/"
build build-asan -DGANVAS_SANITIZE=ON -DGANVAS_BENCH=OFF "${ASAN_FLAGS[@]}"
log "running the tests under the sanitizers (the 3,000-step convergence run is the Release suite's: here it would repeat one step's code for a minute)"
(cd "$GANVAS_ROOT/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$(nproc)" -E '^Convergence\.')

log "building the threaded parts' tests with ThreadSanitizer in build-tsan/"
cmake -S "$GANVAS_ROOT" -B "$GANVAS_ROOT/build-tsan" "${CHECK_FLAGS[@]}" -DGANVAS_TSAN=ON \
  -DGANVAS_BENCH=OFF >/dev/null
cmake --build "$GANVAS_ROOT/build-tsan" -j"$(nproc)" --target ganvas_tests ganvas_viz_tests
log "running the live trainer's, the shared passes', the analysis thread's, the recorder's and the encoder's tests under ThreadSanitizer"
# The insight worker's two jobs share LatestJob: the views' tests cover its threads; the quality and
# export tests (a minute each under ThreadSanitizer) run in the Release and sanitizer suites.
(cd "$GANVAS_ROOT/build-tsan" && ctest --output-on-failure -j"$(nproc)" \
  -R '^(LiveTrainer|SharedPass|Recording|UiRecording|AnalysisWorker)\.|^UiInsight\.(TheTab|TheOverlay|OneStep)')

log "building the fuzzers (Clang, libFuzzer) in build-fuzz/"
CC=clang CXX=clang++ cmake -S "$GANVAS_ROOT" -B "$GANVAS_ROOT/build-fuzz" "${CHECK_FLAGS[@]}" \
  -DGANVAS_FUZZ=ON -DGANVAS_FUZZ_SECONDS="${GANVAS_FUZZ_SECONDS:-30}" -DGANVAS_TESTS=OFF -DGANVAS_BENCH=OFF -DGANVAS_VISUALIZER=OFF -DGANVAS_CUDA=OFF >/dev/null
cmake --build "$GANVAS_ROOT/build-fuzz" -j"$(nproc)" --target fuzz_idx fuzz_safetensors fuzz_checkpoint fuzz_adam_state
log "fuzzing the IDX, safetensors and checkpoint readers and Adam's state (${GANVAS_FUZZ_SECONDS:-30} s each)"
(cd "$GANVAS_ROOT/build-fuzz" && ctest --output-on-failure -j"$(nproc)")
