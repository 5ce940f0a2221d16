#!/usr/bin/env bash
# Hostile inputs (bench/hostile/run inputs): what an untrusted page, archive or sitemap can hand provcheck, each
# checked offline with default limits. Prints "NAME<TAB>COMMAND" lines; the inputs are made here, in $WORK.
#   replay-bomb-60m     a .warc.gz of some 60 KB whose one response holds a 60 MB body (--replay)
#   links-50k/-200k     an article of 50,000 / 200,000 links in one paragraph, --depth 0 and --depth 1
#   quotes-250k/-1m     an article of 250,000 / 1,000,000 quotations
#   roles-5k/-10k       an article of 5,000 / 10,000 paragraphs, each naming a president and quoting "the Ukrainian
#                       leader" (each role is read against every person named before it)
#   sitemap-dev-zero    a sitemap naming /dev/zero and other local files, and /dev/zero as the sitemap itself
# The pairs show the time growing with the input, not with its square (but roles-*, which grows with it).
set -euo pipefail
: "${PROVCHECK:?}" "${WORK:?}"
root=$(cd "$(dirname "$0")/../.." && pwd)
in=$WORK/inputs
mkdir -p "$in"
: >"$in/empty.warc"

python3 - "$in" <<'PY'
import sys, zlib
out = sys.argv[1]
page = lambda body: ("<!doctype html><html><head><title>Hostile</title></head><body><article>" + body +
                     "</article></body></html>")

# The article quotes the Times and links the source, which the archive holds as a 60 MB page.
with open(f"{out}/bomb-article.html", "w") as f:
    f.write(page('<p>“The mission was impossible from the start,” The New York Times reported, '
                 '<a href="https://www.nytimes.com/bomb">citing officials</a>.</p>'))
para = "<p>Nothing in these paragraphs was ever quoted by anyone at all.</p>\n"
chunk = (para * (65536 // len(para) + 1))[:65536].encode()
pieces = 60 * 16  # 60 MiB
head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
block = len(head) + pieces * len(chunk)
warc = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://www.nytimes.com/bomb\r\n"
        b"WARC-Date: 2023-10-17T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:0b0b0b0b-0000-4000-8000-000000000001>\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + str(block).encode() + b"\r\n\r\n")
z = zlib.compressobj(9, zlib.DEFLATED, 31)
with open(f"{out}/bomb.warc.gz", "wb") as f:
    f.write(z.compress(warc + head))
    for _ in range(pieces):
        f.write(z.compress(chunk))
    f.write(z.compress(b"\r\n\r\n") + z.flush())

for n in (50_000, 200_000):
    links = "".join(f'<a href="https://example.org/p/{i}">{i}</a> ' +
                    (f"“Words number {i} were said,” Reuters reported. " if i % 1000 == 0 else "")
                    for i in range(n))
    with open(f"{out}/links-{n}.html", "w") as f:
        f.write(page("<p>" + links + "</p>"))

for n in (250_000, 1_000_000):
    quotes = " ".join(f"“w{i}”" for i in range(n))
    with open(f"{out}/quotes-{n}.html", "w") as f:
        f.write(page("<p>An official said: " + quotes + "</p>"))

for n in (5_000, 10_000):
    with open(f"{out}/roles-{n}.html", "w") as f:
        f.write(page("".join(f"<p>Ukrainian President Volodymyr Zelensky{i} spoke on day {i}. “We will win the war "
                             f"on day {i},” the Ukrainian leader said.</p>" for i in range(n))))
PY

common="--format json --fail-on none -q --replay $in/empty.warc"
printf 'replay-bomb-60m\t%s\n' "$PROVCHECK check $in/bomb-article.html --replay $in/bomb.warc.gz --workspace $WORK/ws-bomb --format json --fail-on none -q"
for n in 50k:50000 200k:200000; do
    name=${n%%:*} count=${n#*:}
    printf 'links-%s-depth0\t%s\n' "$name" "$PROVCHECK check $in/links-$count.html --depth 0 $common --workspace $WORK/ws-links-$name-0"
    printf 'links-%s-depth1\t%s\n' "$name" "$PROVCHECK check $in/links-$count.html --depth 1 $common --workspace $WORK/ws-links-$name-1"
done
for n in 250k:250000 1m:1000000; do
    name=${n%%:*} count=${n#*:}
    printf 'quotes-%s\t%s\n' "$name" "$PROVCHECK check $in/quotes-$count.html --depth 0 $common --workspace $WORK/ws-quotes-$name"
done
for n in 5k:5000 10k:10000; do
    name=${n%%:*} count=${n#*:}
    printf 'roles-%s\t%s\n' "$name" "$PROVCHECK check $in/roles-$count.html --depth 0 $common --workspace $WORK/ws-roles-$name"
done
printf 'sitemap-dev-zero\t%s\n' "$PROVCHECK check --sitemap $root/fixtures/hostile/sitemap-local-files.xml $common --workspace $WORK/ws-sitemap; $PROVCHECK check --sitemap /dev/zero $common --workspace $WORK/ws-sitemap; test \$? = 1"
