#!/usr/bin/env bash
# Installs the Debian 12 packages SkyInterpret needs to build, test and run.
# Idempotent: when everything is present it only checks (well under a second).
# Usage: packaging/install-deps.sh [--fixtures]
#   --fixtures  also install python3-healpy/python3-torch/python3-opencv, used only to
#               regenerate test fixtures (the product and its tests never need Python).
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache lld pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-svg-dev libgl1-mesa-dev
  libvtk9-dev libhealpix-cxx-dev libcfitsio-dev libeigen3-dev libtorch-dev
  googletest libbenchmark-dev libopenmpi-dev libfontconfig-dev libqcustomplot-dev libopencv-photo-dev
)
run_pkgs=(xvfb xauth libgl1-mesa-dri openmpi-bin)
# The layout and lint checks CI runs (tools/checks/).
check_pkgs=(clang-format clang-tidy)
# Checks of the Debian package the build makes (tests/package).
package_check_pkgs=(dpkg-dev lintian desktop-file-utils appstream)
fixture_pkgs=(python3-healpy python3-torch python3-opencv python3-numpy)

wanted=("${build_pkgs[@]}" "${run_pkgs[@]}" "${check_pkgs[@]}" "${package_check_pkgs[@]}")
if [[ "${1:-}" == "--fixtures" ]]; then wanted+=("${fixture_pkgs[@]}"); fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
