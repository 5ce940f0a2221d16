// ZIP archives, as far as provcheck bundles need them, through libzip.
//
// Writing (ZipWriter): every entry stored, uncompressed, as WACZ wants for its WARC files (already gzip, and
// read in place by web-archive players); a fixed date (1980-01-01 00:00) and Unix mode 0644 on every entry, so
// that the same inputs give the same bytes. ZIP64 where an entry or the archive reaches 4 GiB.
//
// Reading (ZipReader): an archive may have been written by an attacker. open() checks the whole central
// directory against ZipLimits before a byte of any entry is read, and refuses (ErrorCode::parse, naming the
// archive and the entry):
//   - more entries, more directory bytes, a larger entry, more bytes in all or a higher compression ratio than
//     the limits allow (a ZIP bomb), and entries whose compressed bytes add up to more than the file holds
//     (entries that overlap);
//   - a name that is empty, absolute, has an empty, "." or ".." segment, a backslash, a NUL or another control
//     character, or is longer than the limit; two entries of the same name; a local header that disagrees
//     with the central directory (name, sizes, method, CRC: libzip's ZIP_CHECKCONS);
//   - an entry that is not a regular file or a directory (a symbolic link, a device: the Unix mode in its
//     external attributes), an encrypted entry, and any compression method but stored and deflate.
// Reading an entry then checks that it yields exactly the bytes its directory entry declares and that they
// match its CRC-32; more bytes than declared stop the read at once.
//
// What the reader never does: create, write, follow or open any path but the archive itself (entry names are
// strings to look up, never paths); follow a symbolic link to the archive's directory entries; hold an entry
// in memory whole, except read_all() up to the cap its caller gives; inflate more than ZipLimits allow.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace provcheck {

class ZipWriter {
public:
    [[nodiscard]] static Result<ZipWriter> create(const std::filesystem::path& path);
    ZipWriter(ZipWriter&&) noexcept;
    ZipWriter& operator=(ZipWriter&&) noexcept;
    ~ZipWriter();  // an archive not finished is discarded: nothing is written

    // An entry from memory; `data` is kept until finish().
    [[nodiscard]] Result<void> add(std::string_view name, std::string data);
    // An entry of the first `size` bytes of the open file `fd`, read only when finish() writes the archive (never
    // held in memory whole). The writer owns `fd` from here on and closes it, also on failure; the caller opened it
    // as it saw fit (provcheck: a regular file, never through a link). Bytes appended to the file after add() are
    // not part of the entry.
    [[nodiscard]] Result<void> add_file(std::string_view name, int fd, std::uint64_t size);
    // Writes every entry and the central directory; the archive does not exist until then.
    [[nodiscard]] Result<void> finish();

private:
    struct Impl;
    explicit ZipWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// What ZipReader::open() accepts. The defaults let honest bundles of many gigabytes of stored WARC files
// through, and keep what a hostile archive can make the reader do to a few hundred MiB of inflating per MiB
// of archive and a few tens of MiB of memory.
struct ZipLimits {
    // Entries in the central directory. A bundle holds one WARC file per `check` run plus a handful of others:
    // 100,000 is decades of daily runs, and keeps the directory libzip holds in memory under about 30 MiB.
    std::uint64_t max_entries = 100'000;
    // Bytes of central directory, checked before libzip reads it (libzip keeps all of it in memory): 100,000
    // entries with names of up to about 120 bytes.
    std::uint64_t max_directory_bytes = std::uint64_t{16} << 20;
    // Bytes of one entry name; WACZ names are short ("archive/provcheck-20250101000000-123-0.warc.gz").
    std::size_t max_name_bytes = 1024;
    // Uncompressed bytes of one entry: one run's WARC file may hold gigabytes of captured PDF and video.
    std::uint64_t max_entry_bytes = std::uint64_t{64} << 30;
    // Uncompressed bytes of all entries together.
    std::uint64_t max_total_bytes = std::uint64_t{256} << 30;
    // Uncompressed bytes per compressed byte of a deflated entry. Deflate reaches 1032:1, which is how a few MB
    // unpack to gigabytes; honest entries deflate far less (JSON and CDXJ of hashes and signatures 2-10:1, gzip'd
    // WARC 1:1). Stored entries are 1:1 and bounded by the file, as all entries' compressed bytes together must be.
    std::uint64_t max_ratio = 100;
};

struct ZipEntryInfo {
    std::string name;
    std::uint64_t index = 0;       // in the central directory
    std::uint64_t size = 0;        // uncompressed bytes, as declared (and held to while reading)
    std::uint64_t compressed = 0;  // bytes in the archive
    bool stored = false;           // not compressed: readable from any offset (ZipReader::slice)
};

class ZipReader {
public:
    // Opens `path` (a regular file; a pipe or device is refused without blocking) and checks its directory.
    [[nodiscard]] static Result<ZipReader> open(const std::filesystem::path& path, const ZipLimits& limits = {});
    ZipReader(ZipReader&&) noexcept;
    ZipReader& operator=(ZipReader&&) noexcept;
    ~ZipReader();

    // The file entries in directory order (directory entries, "name/", are checked and left out).
    [[nodiscard]] const std::vector<ZipEntryInfo>& entries() const noexcept;
    // The entry of exactly this name; nullptr when there is none.
    [[nodiscard]] const ZipEntryInfo* find(std::string_view name) const;
    [[nodiscard]] const std::filesystem::path& path() const noexcept;

    // Hands the entry's bytes to `take` in order, in pieces of at most 64 KiB; stops at the first Error
    // `take` returns. Damage (a CRC mismatch, more or fewer bytes than declared) is an Error naming the entry.
    [[nodiscard]] Result<void> read(const ZipEntryInfo& entry,
                                    const std::function<Result<void>(std::string_view)>& take) const;
    // The whole entry in memory; an Error without reading it when it declares more than `max_bytes`.
    [[nodiscard]] Result<std::string> read_all(const ZipEntryInfo& entry, std::uint64_t max_bytes) const;

    // Streams and slices read through this reader: neither may outlive it.
    //
    // An entry read piece by piece by whoever pulls (a parser): a std::streambuf. `seen` gets every piece as it
    // is handed out. Damage ends the stream early; error() then says what happened.
    class Stream;
    [[nodiscard]] Result<std::unique_ptr<Stream>> stream(const ZipEntryInfo& entry,
                                                         std::function<void(std::string_view)> seen = {}) const;

    // Random access into a stored entry, read in place from the archive. An Error for a compressed entry.
    class Slice {
    public:
        virtual ~Slice() = default;
        // Up to `n` bytes from `offset` into `buf`; 0 at or past the end of the entry.
        [[nodiscard]] virtual Result<std::size_t> read_at(std::uint64_t offset, char* buf, std::size_t n) = 0;
        [[nodiscard]] virtual std::uint64_t size() const noexcept = 0;
    };
    [[nodiscard]] Result<std::unique_ptr<Slice>> slice(const ZipEntryInfo& entry) const;

    struct Impl;

private:
    explicit ZipReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

class ZipReader::Stream : public std::streambuf {
public:
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    ~Stream() override;
    // Reads the rest of the entry (handing it to `seen`) and says whether all of it was sound.
    [[nodiscard]] Result<void> finish();
    // The damage that ended the stream early, if any.
    [[nodiscard]] const std::optional<Error>& error() const noexcept;

    struct State;

protected:
    int_type underflow() override;

private:
    friend class ZipReader;
    explicit Stream(std::unique_ptr<State> state);
    std::unique_ptr<State> s_;
};

}  // namespace provcheck
