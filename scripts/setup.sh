#!/usr/bin/env bash
# Installs the Debian 12 packages provcheck needs (only those missing) and builds it.
#   scripts/setup.sh [release|test]
#   release: build/ in Release mode (the binary users run)
#   test:    build-test/ with AddressSanitizer and UndefinedBehaviorSanitizer, tests included
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-release}
packages=(build-essential cmake ninja-build pkg-config libcurl4-openssl-dev libgumbo-dev libssl-dev libsqlite3-dev
          libpoppler-cpp-dev libtesseract-dev tesseract-ocr-eng
          catch2 nlohmann-json3-dev libutf8proc-dev libtomlplusplus-dev libcli11-dev libfmt-dev libcpp-httplib-dev
          zlib1g-dev libzip-dev libpq-dev libsodium-dev python3 python3-cryptography ca-certificates)

# The test suite also opens the HTML report in headless Chromium, checks SARIF and JUnit with npm validators
# and starts PostgreSQL servers of its own (scripts/pg-server.sh); node and npm are taken from wherever they
# already are.
if [ "$mode" = test ]; then
  packages+=(chromium fonts-dejavu-core openssl postgresql)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Set-up speaks only when it fails, or to a terminal (or when SETUP_VERBOSE is set), and never when SETUP_QUIET is
# set (the demo sets it for a report in JSON or another format made for programs, which may read a terminal too):
# `scripts/demo.sh --format json 2>&1 | jq .` reads the report alone.
speak() { [ -z "${SETUP_QUIET:-}" ] && { [ -t 2 ] || [ -n "${SETUP_VERBOSE:-}" ]; }; }
if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  if speak; then echo "setup: installing ${missing[*]}" >&2; fi
  export DEBIAN_FRONTEND=noninteractive
  install_log=$(mktemp /tmp/provcheck-setup.XXXXXX)
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$install_log" 2>&1; then
    cat "$install_log" >&2
    echo "setup: installing ${missing[*]} failed (log: $install_log)" >&2
    exit 1
  fi
  if speak; then cat "$install_log" >&2; fi
  rm -f "$install_log"
fi

jobs=$(nproc 2>/dev/null || echo 2)
# The build speaks only when it fails (or when SETUP_VERBOSE is set): the demo's output is the report.
build() {
  local dir=$1
  shift
  mkdir -p "$dir"
  if [ -n "${SETUP_VERBOSE:-}" ]; then
    "$@" >&2
  elif ! "$@" >"$dir/setup.log" 2>&1; then
    cat "$dir/setup.log" >&2
    echo "setup: build failed (log: $dir/setup.log)" >&2
    exit 1
  fi
}
# Both builds compile each library and test program in batches of source files (CMake's unity build): the
# headers every file includes (CLI11, nlohmann-json, Catch2) are compiled once per batch instead of once per
# file, about half the compile time on two cores. Line tables only (-g1) in the sanitized build: its reports
# still name every frame's file and line, and its objects link faster.
# A build directory configured before with another generator (a `cmake -B build` by hand makes Makefiles), or in
# another place (a checkout copied or moved with its build/), would stop CMake with "generator does not match" or
# "CMakeCache.txt directory … is different": its cache is dropped and the directory configured afresh.
fresh_cache() {
  local dir=$1 cache=$1/CMakeCache.txt
  [ -f "$cache" ] || return 0
  if ! grep -qx 'CMAKE_GENERATOR:INTERNAL=Ninja' "$cache" ||
     ! grep -qxF "CMAKE_CACHEFILE_DIR:INTERNAL=$(cd "$dir" && pwd -P)" "$cache" ||
     ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$(pwd -P)" "$cache"; then
    rm -rf "$cache" "$dir/CMakeFiles"
  fi
}
case "$mode" in
  release)
    fresh_cache build
    build build cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPROVCHECK_TESTS=OFF -DCMAKE_UNITY_BUILD=ON
    build build cmake --build build --target provcheck -j "$jobs"
    ;;
  test)
    fresh_cache build-test
    build build-test cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPROVCHECK_SANITIZE=ON \
      -DCMAKE_UNITY_BUILD=ON -DCMAKE_CXX_FLAGS_DEBUG=-g1
    build build-test cmake --build build-test -j "$jobs"
    ;;
  *)
    echo "setup: unknown mode '$mode' (release or test)" >&2
    exit 3
    ;;
esac
