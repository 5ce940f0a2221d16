#!/usr/bin/env bash
# Hostile bundles for `provcheck verify --bundle` (bench/hostile/run bundle): ZIP bombs and oversized directories,
# built in $WORK by the Python below, each printed as "NAME<TAB>COMMAND".
#   bundle-declares-4g     ~200 KB: one deflated entry of 200 MiB of zeros that declares 4 GiB
#   bundle-bomb-3g         ~3.3 MB: three entries of 1 GiB of zeros each, honestly declared
#   bundle-entries-65k     65,000 empty entries (as many as a plain end record can count)
#   bundle-entries-1m      1,000,000 empty entries behind a ZIP64 end record (about 100 MB)
set -euo pipefail
: "${WORK:?}" "${PROVCHECK:?}"
python3 - "$WORK" <<'PY'
import struct, sys, zlib

work = sys.argv[1]
MIB = 1 << 20

def zeros_deflate(pieces):
    """A raw deflate stream of `pieces` x 64 MiB of zeros: one fully flushed piece repeated, then a final block."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = z.compress(bytes(64 * MIB)) + z.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    zero = bytes(64 * MIB)
    for _ in range(pieces):
        crc = zlib.crc32(zero, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return piece * pieces + end, crc, pieces * 64 * MIB

def write_zip(path, entries, zip64_count=None):
    """entries: (name, data, method, crc, declared size). zip64_count: declare that many in a ZIP64 end record."""
    with open(path, 'wb') as f:
        central = bytearray()
        offset = 0
        for name, data, method, crc, size in entries:
            n = name.encode()
            local = struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, 0, method, 0, 0x21, crc, len(data),
                                min(size, 0xffffffff), len(n), 0) + n
            f.write(local)
            f.write(data)
            central += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 0x0314, 20, 0, method, 0, 0x21, crc, len(data),
                                   min(size, 0xffffffff), len(n), 0, 0, 0, 0, 0o100644 << 16, offset) + n
            offset += len(local) + len(data)
        f.write(central)
        count = len(entries)
        if zip64_count is not None:
            end64_at = offset + len(central)
            f.write(struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, zip64_count, zip64_count,
                                len(central), offset))
            f.write(struct.pack('<IIQI', 0x07064b50, 0, end64_at, 1))
            f.write(struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xffff, 0xffff, 0xffffffff, 0xffffffff, 0))
        else:
            f.write(struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, count, count, len(central), offset, 0))

data, crc, _ = zeros_deflate(200 // 64 + 1)
write_zip(f'{work}/declares-4g.wacz', [('archive/bomb.warc.gz', data, 8, crc, 0xfffffff0)])

data, crc, size = zeros_deflate(16)
write_zip(f'{work}/bomb-3g.wacz', [(f'archive/bomb{i}.warc.gz', data, 8, crc, size) for i in range(3)])

write_zip(f'{work}/entries-65k.wacz', [(f'pages/{i}.json', b'', 0, 0, 0) for i in range(65000)])

entries = [(f'pages/{i}.json', b'', 0, 0, 0) for i in range(1_000_000)]
write_zip(f'{work}/entries-1m.wacz', entries, zip64_count=len(entries))
PY
for name in declares-4g bomb-3g entries-65k entries-1m; do
  printf 'bundle-%s\t"$PROVCHECK" verify --bundle "$WORK/%s.wacz"\n' "$name" "$name"
done
