#!/usr/bin/env bash
# Installs what is missing, builds build/provcheck (Release) and checks the seed article with no network:
# every fetch is answered from fixtures/seed/sources.warc. Extra arguments go to `provcheck check`,
# e.g. `scripts/demo.sh --format json`. The workspace is a fresh temporary directory each run.
set -euo pipefail
cd "$(dirname "$0")/.."
# A report in a format other than text is for a program, which may read it through a terminal: then nothing but
# the report is printed, terminal or not.
format=text
previous=
for arg in "$@"; do
  case "$arg" in
    --format=*) format=${arg#--format=} ;;
    *) [ "$previous" = --format ] && format=$arg ;;
  esac
  previous=$arg
done
if [ "$format" != text ]; then
  export SETUP_QUIET=1
fi
scripts/setup.sh release

nyt="https://www.nytimes.com/2023/10/17/us/politics/qatar-hamas-hostages-mediator.html"
workspace=$(mktemp -d /tmp/provcheck-demo.XXXXXX)
# The demo signs with a throw-away key of its own unless the caller chose one.
if [ -z "${PROVCHECK_KEY:-}" ]; then
  export XDG_CONFIG_HOME="$workspace/config"
fi
set +e
build/provcheck check fixtures/seed/article.html \
  --replay fixtures/seed/sources.warc \
  --source "NYT=$nyt" \
  --workspace "$workspace/ws" \
  --quiet "$@"
rc=$?
set -e
# Where the records went, for a reader at a terminal; a script reading the output gets the report alone.
if [ -t 2 ] && [ "$format" = text ]; then
  if [ -z "${PROVCHECK_KEY:-}" ]; then
    echo "(workspace $workspace/ws; verify it: XDG_CONFIG_HOME=$XDG_CONFIG_HOME build/provcheck verify --all --workspace $workspace/ws)" >&2
  else
    echo "(workspace $workspace/ws; verify it: build/provcheck verify --all --workspace $workspace/ws)" >&2
  fi
fi
exit $rc
