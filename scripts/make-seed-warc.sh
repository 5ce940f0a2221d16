#!/usr/bin/env bash
# Rebuilds fixtures/seed/sources.warc: provcheck itself checks the seed article against the fixture web
# (fixtures/web, served on loopback by provcheck-fixture-server over HTTP and HTTPS), and every exchange it
# made is taken from its workspace WARC files, uncompressed, into one file. Re-run after changing the fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
# BUILD_DIR: a build tree that already has provcheck and provcheck-fixture-server (default: set one up).
build=${BUILD_DIR:-}
if [ -z "$build" ]; then
  scripts/setup.sh test
  build=build-test
fi
bin=$build/provcheck
server=$build/tests/provcheck-fixture-server

tmp=$(mktemp -d /tmp/provcheck-seed.XXXXXX)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
mkfifo "$tmp/ctl"
"$server" --web fixtures/web --cert-dir "$tmp/certs" <"$tmp/ctl" >"$tmp/ports.json" &
server_pid=$!
exec 3>"$tmp/ctl"  # the server runs until this is closed
for _ in $(seq 100); do [ -s "$tmp/ports.json" ] && break; sleep 0.1; done
http_port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["http_port"])' "$tmp/ports.json")
https_port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["https_port"])' "$tmp/ports.json")
cacert=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cacert"])' "$tmp/ports.json")

nyt="https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html"
export XDG_CONFIG_HOME="$tmp/config"
set +e
"$bin" check fixtures/seed/article.html --source "NYT=$nyt" --workspace "$tmp/ws" \
  --connect-to ":80:127.0.0.1:$http_port" --connect-to ":443:127.0.0.1:$https_port" \
  --cacert "$cacert" --allow-private-addresses --format json --fail-on none --quiet >"$tmp/report.json"
rc=$?
set -e
exec 3>&-
if [ $rc -ne 0 ]; then
  echo "make-seed-warc: provcheck check failed ($rc)" >&2
  exit 1
fi
# Gzip members concatenate into their plain concatenation: an uncompressed WARC, readable in any pager.
zcat "$tmp"/ws/warc/*.warc.gz >fixtures/seed/sources.warc
echo "fixtures/seed/sources.warc: $(grep -c '^WARC-Type: response' fixtures/seed/sources.warc) responses," \
     "$(wc -c <fixtures/seed/sources.warc) bytes" >&2
