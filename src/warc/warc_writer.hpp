// The workspace archive writer: stores each Exchange as WARC/1.1 records, one gzip member per record.
//
// Input: Exchanges from the capture stage. Output: a new file `provcheck-<UTC yyyymmddHHMMSS>-<pid>-<n>.warc.gz`
// in the directory given to open(), starting with a warcinfo record; for an HTTP exchange a request record
// and a response record that name each other (WARC-Concurrent-To), for a local file a resource record.
// Digests are SHA-256, written `sha256:<lower-case hex>`. The body is stored decoded, so the stored HTTP head
// is made to match it: Content-Encoding, Transfer-Encoding and a Content-Length that no longer fits are kept
// under `X-Provcheck-Original-<name>` in their place and a true Content-Length is appended; the archive's
// replay renames them back, so a replayed Exchange carries the headers as received.
//
// A payload spooled to disk (Exchange::spooled) is compressed from its file a megabyte at a time, never held
// in memory whole. A payload of 64 KiB or more whose first 64 KiB look incompressible (more than 7.8 bits of
// entropy per byte: JPEG, PNG, video, zip) is kept in deflate's stored blocks instead of compressed at zlib's
// default level, which would cost as much time for nothing. Every store() hands its records to the OS before it
// returns, so a killed process loses nothing stored; sync() makes them durable against power loss (one fsync per batch
// of captures, before the database refers to them). A crash leaves at most one torn member at the end, which the reader
// refuses. A failed write is cut off again (ftruncate) so later records stay readable. Every write (the warcinfo
// record; a request with its response or revisit; a resource) is one span of the file whose SHA-256 is taken
// from the bytes as written: unsealed() hands the spans not yet vouched for to the record stage, which signs them
// in an archive manifest (record/manifest.hpp), so that every byte of the archive is covered by a signature. A 304 to a
// conditional request is stored as a revisit record (profile server-not-modified) that names the original response
// record (WARC-Refers-To, -Refers-To-Target-URI, -Refers-To-Date) and carries its payload digest; its block is the
// 304's head. What it never does: read the network, modify a record once written, or share its file with another
// writer.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exchange.hpp"

namespace provcheck {

// A run of bytes that one write put into an archive file, and their SHA-256 (hex).
struct ArchiveSpan {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::string sha256;
};

class WarcWriter final : public ExchangeSink {
public:
    // Creates `dir` if needed and a new, never existing file in it. `clock` dates the warcinfo record and
    // exchanges without fetched_at; it must outlive the writer.
    [[nodiscard]] static Result<WarcWriter> open(const std::filesystem::path& dir, const Clock& clock);

    WarcWriter(WarcWriter&&) noexcept;
    WarcWriter& operator=(WarcWriter&&) noexcept;
    ~WarcWriter() override;  // closes the file

    // The ref names the response (or resource) record; its warc_file is "warc/<file name>" whatever `dir` is
    // called (the workspace's warc/ or a shared --warc-dir): archive_file_path() finds it again. An exchange that
    // cannot be framed (a CR or LF inside a URL or header, no status line, a malformed fetched_at) is an Error and
    // nothing is written.
    [[nodiscard]] Result<Stored> store(const Exchange& exchange) override;
    [[nodiscard]] Result<Stored> store_revisit(const Exchange& not_modified, const CachedResponse& original) override;
    [[nodiscard]] Result<void> sync() override;

    [[nodiscard]] const std::filesystem::path& path() const noexcept;  // the file being written
    // The file as stored refs name it: "<dir name>/<file name>".
    [[nodiscard]] const std::string& relative_path() const noexcept;

    // The spans written since the last seal(), in file order: together they run from the end of the last
    // sealed span to the end of the file. seal(n) forgets the first n, once a manifest naming them is stored.
    [[nodiscard]] const std::vector<ArchiveSpan>& unsealed() const noexcept;
    void seal(std::size_t n);

    class Impl;

private:
    explicit WarcWriter(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// A new random (version 4) record id, "<urn:uuid:xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx>".
[[nodiscard]] Result<std::string> new_record_id();

// Prefix of the name under which the writer keeps an original framing header
// ("Content-Encoding" -> "X-Provcheck-Original-Content-Encoding").
inline constexpr std::string_view original_header_prefix = "X-Provcheck-Original-";

// Where the archive file that records name `relative` ("warc/<name>.warc.gz") lies when the archive's files are in
// `warc_dir` (the workspace's warc/, or a shared --warc-dir).
[[nodiscard]] std::filesystem::path archive_file_path(const std::filesystem::path& warc_dir, std::string_view relative);

}  // namespace provcheck
