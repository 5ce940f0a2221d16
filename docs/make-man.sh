#!/bin/sh
# Writes docs/provcheck.1 from the binary's own --help texts, so the man page and --help never disagree.
#   docs/make-man.sh [PROVCHECK_BINARY]   (default: build/provcheck)
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build/provcheck}
out=docs/provcheck.1
version=$("$bin" --version | awk '{print $2}')
commands=$("$bin" --help | awk '/^Subcommands:/{on=1; next} on && !NF {on=0} on {print $1}')

# roff: escape backslashes, keep lines that start with '.' or "'" from being read as requests.
roffify() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

{
  printf '.TH PROVCHECK 1 "" "provcheck %s" "User Commands"\n' "$version"
  printf '.SH NAME\nprovcheck \\- verify secondary reporting: quotations, their sources and signed records\n'
  printf '.SH SYNOPSIS\n.nf\n'
  for cmd in $commands; do
    "$bin" "$cmd" --help | awk -v c="$cmd" '/^Usage:/ {sub(/^Usage: [^ ]*/, ""); print "provcheck" $0; exit}'
  done
  printf '.fi\n'
  printf '.SH DESCRIPTION\n.nf\n'
  "$bin" --help | roffify
  printf '.fi\n'
  for cmd in $commands; do
    printf '.SH "%s"\n.nf\n' "$(echo "provcheck $cmd" | tr '[:lower:]' '[:upper:]')"
    "$bin" "$cmd" --help | roffify
    printf '.fi\n'
  done
  printf '.SH FILES\n.TP\n.B provcheck.toml\n'
  printf 'Options of check, read from the working directory (or --config FILE); the command line wins.\n'
  printf '.TP\n.B .provcheck/\nThe workspace: store.db and warc/.\n'
  printf '.SH "EXIT STATUS"\n0 every claim passes --fail-on; 1 runtime error; 2 verification failures; '
  printf '3 usage or configuration error.\n'
  printf '.SH "SEE ALSO"\ndocs/ci.md in the source tree: provcheck as a CI gate.\n'
} >"$out"
echo "wrote $out" >&2
