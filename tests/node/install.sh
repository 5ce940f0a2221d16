#!/bin/sh
# Installs the npm validators that the CLI tests run (tests/node/node_modules), once.
# Exit 0: ready. Exit 77: node or npm is not installed, so the calling test skips with a WARN.
# Exit 1: the install itself failed (the calling test fails: the validators are part of the suite).
set -eu
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "WARN: node/npm not found; the SARIF schema and JUnit consumer checks are skipped" >&2
  exit 77
fi
if [ -f node_modules/.installed ] && [ node_modules/.installed -nt package-lock.json ]; then
  exit 0
fi
# Concurrent test processes install once: the directory lock is atomic.
while ! mkdir .install.lock 2>/dev/null; do sleep 1; done
trap 'rmdir .install.lock' EXIT
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2
  touch node_modules/.installed
fi
