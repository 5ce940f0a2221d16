#!/bin/sh
# Writes the man page from the binary's own --help texts, so the man page and --help never disagree. The build
# runs it after linking provcheck (BUILD_DIR/provcheck.1); docs/provcheck.1 is a copy for reading in the tree.
#   docs/make-man.sh [PROVCHECK_BINARY [OUTPUT]]   (default: build/provcheck, docs/provcheck.1)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/provcheck}
out=${2:-$root/docs/provcheck.1}
version=$("$bin" --version | awk '{print $2}')
# Commands, and the subcommands of those that have them (log checkpoint, key show, ...).
commands=$("$bin" --help | awk '/^Subcommands:/{on=1; next} on && !NF {on=0} on {print $1}' | grep -v '^help$')
subcommands() { "$1" "$2" --help | awk '/^Subcommands:/{on=1; next} on && !NF {on=0} on {print $1}'; }

# roff: escape backslashes, keep lines that start with '.' or "'" from being read as requests.
roffify() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
{
  printf '.TH PROVCHECK 1 "" "provcheck %s" "User Commands"\n' "$version"
  printf '.SH NAME\nprovcheck \\- verify secondary reporting: quotations, their sources and signed records\n'
  printf '.SH SYNOPSIS\n.nf\n'
  for cmd in $commands; do
    "$bin" "$cmd" --help | awk '/^Usage:/ {sub(/^Usage: [^ ]*/, ""); print "provcheck" $0; exit}'
  done
  printf '.fi\n'
  printf '.SH DESCRIPTION\n.nf\n'
  "$bin" --help | roffify
  printf '.fi\n'
  printf '.SH COMMANDS\n'
  for cmd in $commands; do
    printf '.SS "%s"\n.nf\n' "provcheck $cmd"
    "$bin" "$cmd" --help | roffify
    printf '.fi\n'
    for sub in $(subcommands "$bin" "$cmd"); do
      printf '.SS "%s"\n.nf\n' "provcheck $cmd $sub"
      "$bin" "$cmd" "$sub" --help 2>/dev/null | roffify || true
      printf '.fi\n'
    done
  done
  cat <<'ROFF'
.SH VERDICTS
.TP
.B verbatim
The source says it word for word.
.TP
.B elided
Each part between elision marks (..., \(.., (..), [...]) is in the source, in order, and what was left out
changes no number, negation or name.
.TP
.B minor_variation
Only spelling, case, punctuation or typography differ.
.TP
.B altered
Words differ from the source; a changed number, negation or name, or joined passages, is critical.
.TP
.B misattributed
The source has the words but gives them to someone other than the article's speaker.
.TP
.B not_found
No passage of a source tied to the speaker matches.
.TP
.B source_restricted
The source could be read only in part (a paywall, a size cap) and the quotation is not in that part.
.TP
.B source_unavailable
No source could be read (DNS, connection, HTTP error, TLS).
.TP
.B unsourced
No source is tied to the speaker (no link, organisation, outlet rule or \-\-source binding), and none of
the article's other cited sources holds the words.
.SH EXAMPLES
.nf
Check an article, binding the outlet it quotes to its source:
  provcheck check https://news.example/story \-\-source "NYT=https://www.nytimes.com/..."

Try it without keeping anything, and write a JSON report:
  provcheck check \-\-dry\-run story.html \-\-output report.json

Gate a CI job on altered quotations only, with SARIF for code scanning:
  provcheck check \-\-input\-list changed.txt \-\-fail\-on altered \-\-format sarif \-\-output r.sarif

Verify a workspace, or a bundle on another machine with a pinned key:
  provcheck verify \-\-all
  provcheck key export \-\-out desk.pub
  provcheck verify \-\-bundle evidence.wacz \-\-trust desk.pub

Show one claim in full, by the id a report prints:
  provcheck show 3b82c447629200f3
.fi
.SH ENVIRONMENT
.TP
.B PROVCHECK_KEY
The signing key: a PEM itself (for CI secrets) or the path of one. \-\-key wins over it.
.TP
.B XDG_CONFIG_HOME
Where the default key lives: $XDG_CONFIG_HOME/provcheck/signing\-key.pem (else ~/.config/provcheck/), made on
first use with its .pub beside it.
.TP
.B NO_COLOR
When set, no colour on a terminal.
.SH FILES
.TP
.B provcheck.toml
Options of check, read from the working directory (or \-\-config FILE); the command line wins.
.TP
.B .provcheck/
The workspace: store.db (records, log, checkpoints, manifests, HTTP cache) and warc/ (captures).
.TP
.B $XDG_CONFIG_HOME/provcheck/signing\-key.pem
The default signing key (mode 0600) and signing\-key.pem.pub.
.SH "EXIT STATUS"
0 success (check: every claim passes \-\-fail\-on); 1 runtime error (check: also an article that could not be
read); 2 verification failures (check: claims that fail the gate; verify: a FAIL line); 3 usage or
configuration error.
.SH "SEE ALSO"
docs/ci.md (provcheck as a CI gate), docs/security.md (trust model and limits), docs/record\-format.md (the
signed record) in the source tree.
ROFF
} >"$tmp"
mv "$tmp" "$out"
trap - EXIT
