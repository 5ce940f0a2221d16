#!/usr/bin/env bash
# Installs what is missing, builds with AddressSanitizer and UndefinedBehaviorSanitizer, and runs the whole
# test suite through ctest: unit tests, integration tests against the loopback fixture web, CLI tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-test
ctest --output-on-failure -j 2 "$@"
