#!/usr/bin/env bash
# The installed package as hosts use it: cmake --install, the prefix moved elsewhere (relocatable),
# pkg-config and find_package against it; the GLFW host and the OGRE 1.12 plugin and demo built from
# it and run under Xvfb, each checking that the grid in its texture is ganvas's (and the GLFW host that
# its GL state is left as it was).
set -euo pipefail
build=$1
source_dir=$2
mnist=$3
work=$(mktemp -d)
export XDG_DATA_HOME="$work/user-data"  # the runs a window keeps go here, not into the user's folder
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/first" >/dev/null
mv "$work/first" "$work/prefix"  # a relocatable package works wherever it lands
prefix="$work/prefix"
for file in include/ganvas/ganvas.h include/ganvas/ganvas_imgui.h include/ganvas/gan/model/model.h lib/libganvas.so.1 \
  lib/libganvas_imgui.so.1 lib/libganvas_core.a lib/libganvas_engine.a lib/cmake/ganvas/ganvasConfig.cmake \
  lib/cmake/ganvas/ganvasConfigVersion.cmake lib/pkgconfig/ganvas.pc bin/ganvas share/ganvas/assets/mnist-gan-20k.safetensors; do
  [ -e "$prefix/$file" ] || { echo "FAIL: the package lacks $file"; exit 1; }
done
readelf -d "$prefix/lib/libganvas.so.1" | grep -q "SONAME.*libganvas.so.1" || { echo "FAIL: no SONAME"; exit 1; }
exported=$(nm -D --defined-only "$prefix/lib/libganvas.so.1" | awk '$2 == "T" {print $3}' | grep -v '^ganvas_' || true)
[ -z "$exported" ] || { echo "FAIL: functions exported beside the API: $exported"; exit 1; }
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs ganvas | grep -q -- "-lganvas"
# The C++ libraries: ganvas::core trains, ganvas::engine opens a headless context.
cmake -S "$source_dir/tests/package_consumer" -B "$work/consumer_cpp" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer_cpp" >/dev/null
"$work/consumer_cpp/consumer"

cmake -S "$source_dir/examples/glfw_host" -B "$work/host" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/host" >/dev/null
export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
xvfb-run -a -n $((200 + RANDOM % 500)) -s "-screen 0 1024x768x24" "$work/host/ganvas-glfw-host" --data-dir "$mnist" --frames 40 --check \
  --screenshot "$work/host.png" | tee "$work/log"
grep -q "check passed: same grid, host GL state unchanged" "$work/log"
python3 "$source_dir/tests/png_stats.py" "$work/host.png" 800 600

# OGRE: Plugin_Ganvas loaded through plugins.cfg, its texture on a panel of a lit scene.
cmake -S "$source_dir/examples/ogre_host" -B "$work/ogre" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/ogre" >/dev/null
xvfb-run -a -n $((200 + RANDOM % 500)) -s "-screen 0 1280x800x24" "$work/ogre/ganvas-ogre-demo" --data-dir "$mnist" --frames 40 --check 1 \
  --screenshot "$work/ogre.png" --log "$work/ogre.log" | tee "$work/ogre_out"
# With --log, OGRE's own lines go to the file only (some 290 reached the terminal).
[ "$(wc -l <"$work/ogre_out")" -le 4 ] || { echo "FAIL: the OGRE demo printed $(wc -l <"$work/ogre_out") lines"; exit 1; }
grep -q "OpenGL 3+ Rendering Subsystem" "$work/ogre.log" || { echo "FAIL: OGRE's log is not in $work/ogre.log"; exit 1; }
grep -q "the panel shows ganvas/grid at step [0-9]*, updated by GL" "$work/ogre_out"  # ganvas draws into the GL name
grep -q "largest difference from ganvas's copy [01]/255" "$work/ogre_out"
python3 "$source_dir/tests/png_stats.py" "$work/ogre.png" 1024 640
# OGRE's older OpenGL render system: the plugin uploads the grid instead.
xvfb-run -a -n $((200 + RANDOM % 500)) -s "-screen 0 1280x800x24" "$work/ogre/ganvas-ogre-demo" --render-system gl \
  --data-dir "$mnist" --frames 20 --check 1 --log "$work/ogre_gl.log" | tee "$work/ogre_gl_out"
grep -q "the panel shows ganvas/grid at step [0-9]*, updated by upload" "$work/ogre_gl_out"
grep -q "largest difference from ganvas's copy [01]/255" "$work/ogre_gl_out"

# Pulled in by add_subdirectory, ganvas builds its libraries but neither its tests nor its benchmarks.
mkdir -p "$work/consumer"
printf 'cmake_minimum_required(VERSION 3.25)\nproject(consumer LANGUAGES C CXX)\nadd_subdirectory("%s" ganvas)\n' \
  "$source_dir" >"$work/consumer/CMakeLists.txt"
cmake -S "$work/consumer" -B "$work/consumer/build" >/dev/null
targets=$(cmake --build "$work/consumer/build" --target help)
grep -q "ganvas_embed" <<<"$targets" || { echo "FAIL: add_subdirectory gave no ganvas_embed"; exit 1; }
if grep -q -e "ganvas_tests" -e "ganvas_bench" <<<"$targets"; then
  echo "FAIL: add_subdirectory built ganvas's tests or benchmarks"
  exit 1
fi
echo "package test passed"
