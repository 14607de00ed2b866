#!/usr/bin/env bash
# Installs the Debian packages twolayer needs, only those missing. Safe to run again.
#   tools/setup-deps.sh            host build and tests
#   tools/setup-deps.sh --arm      plus the ARM cross compilers and QEMU
#   tools/setup-deps.sh --bench    plus Eigen and Google Benchmark (tools/bench)
#   tools/setup-deps.sh --experiments  plus SciPy (the analysis scripts of tools/experiments)
#   tools/setup-deps.sh --fuzz     plus clang-14 with libFuzzer (tests/fuzz) and valgrind (tests/memcheck)
set -euo pipefail
pkgs=(cmake ninja-build g++ python3 libgtest-dev libxtensor-dev libxsimd-dev xtl-dev
      python3-numpy python3-matplotlib libcli11-dev libboost-dev libeigen3-dev libopenmpi-dev openmpi-bin)
for a in "$@"; do
  case "$a" in
    --arm) pkgs+=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
                  picolibc-arm-none-eabi g++-aarch64-linux-gnu g++-arm-linux-gnueabihf
                  qemu-user qemu-system-arm) ;;
    --bench) pkgs+=(libbenchmark-dev) ;;
    --experiments) pkgs+=(python3-scipy) ;;
    --fuzz) pkgs+=(clang-14 libclang-rt-14-dev valgrind) ;;
    *) echo "setup-deps: unknown option '$a' (use --arm, --bench, --experiments, --fuzz)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-deps: all packages present"
  exit 0
fi
echo "setup-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup-deps: done"
