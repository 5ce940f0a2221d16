// Reading WARC files (WARC/1.0 and WARC/1.1), whoever wrote them.
//
// Input: a file, plain or gzip (one member per record, or one member for the whole file; told apart by
// the magic bytes, not by the name). Output: records one at a time, each with its headers (names compared
// ignoring case), its block exactly as stored (Content-Length honoured to the byte) and where it sits in
// the file. A damaged file yields the records before the damage and then one Error naming the file and
// the offset; the reader never trusts a record whose bytes, gzip trailer or terminator are missing, never
// loops and never holds more than one record (at most WarcReadOptions::max_block bytes of block) in memory.
//
// What it never does: write, seek outside the file, or follow anything a record points to.
// ARC files are not WARC: they are reported as an Error at offset 0.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"

namespace provcheck {

struct WarcRecord {
    std::string version;  // "WARC/1.0", "WARC/1.1"
    std::vector<Header> headers;
    std::string block;               // empty when read with WarcReadOptions::load_block == false
    std::uint64_t block_length = 0;  // Content-Length, also when the block was not loaded

    // Where the record is. `offset` is the byte offset of the record in a plain file, or of the gzip member
    // in which it starts. `inner_offset` is the record's position inside that member's decompressed bytes: 0
    // unless several records share one member. `length` counts the same units as `offset` (file bytes: the
    // member's compressed size for gzip per record) except for a record that shares a member with others,
    // where no file range holds it alone and `length` is its decompressed length.
    std::uint64_t offset = 0;
    std::uint64_t inner_offset = 0;
    std::uint64_t length = 0;
    bool shares_member = false;

    // First header named `name` (any case); nullptr when absent. Valid while the record lives unchanged.
    [[nodiscard]] const std::string* header(std::string_view name) const;
    // Empty when the header is absent. Views into `headers`: invalidated when the record changes or dies.
    [[nodiscard]] std::string_view type() const;
    [[nodiscard]] std::string_view target_uri() const;  // without the <…> some writers put around it
    [[nodiscard]] std::string_view record_id() const;
    [[nodiscard]] std::string_view date() const;
    [[nodiscard]] std::string_view block_digest() const;
    [[nodiscard]] std::string_view payload_digest() const;
    [[nodiscard]] std::string_view ip_address() const;
    [[nodiscard]] std::string_view truncated() const;
    [[nodiscard]] std::string_view content_type() const;
    [[nodiscard]] std::string_view refers_to() const;
    [[nodiscard]] std::string_view refers_to_target_uri() const;
    [[nodiscard]] std::string_view refers_to_date() const;
    // Every WARC-Concurrent-To value (the field may repeat).
    [[nodiscard]] std::vector<std::string_view> concurrent_to() const;
};

// Takes a record's block in pieces as the reader reads it, instead of WarcRecord::block: `begin` with the record
// (headers and position, no block), then every piece of the block in order. Whatever it keeps is its own
// business; the reader keeps nothing of the block, so that a record of any size passes in bounded memory.
class BlockConsumer {
public:
    virtual ~BlockConsumer() = default;
    virtual void begin(const WarcRecord& record) = 0;
    virtual void piece(std::string_view bytes) = 0;
};

struct WarcReadOptions {
    bool load_block = true;  // false: the block is read through (and checked to be complete) but not kept
    std::uint64_t max_block = std::uint64_t{256} << 20;  // a larger Content-Length is an Error
    BlockConsumer* consumer = nullptr;  // when set, receives the block instead of `block` (load_block is ignored)
};

class WarcReader {
public:
    [[nodiscard]] static Result<WarcReader> open(const std::filesystem::path& path, WarcReadOptions options = {});

    WarcReader(WarcReader&&) noexcept;
    WarcReader& operator=(WarcReader&&) noexcept;
    ~WarcReader();

    // The next record; nullopt at the clean end of the file. After an Error the reader is finished and
    // returns nullopt from then on.
    [[nodiscard]] Result<std::optional<WarcRecord>> next();
    [[nodiscard]] bool gzip() const noexcept;
    [[nodiscard]] const std::filesystem::path& path() const noexcept;

    class Impl;

private:
    explicit WarcReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Every record of a file up to the first damage, and the damage if any.
struct WarcScan {
    std::vector<WarcRecord> records;
    std::optional<Error> error;
};
[[nodiscard]] WarcScan scan_warc(const std::filesystem::path& path, WarcReadOptions options = {});

// The one record at `offset` (and `inner_offset`, see WarcRecord). Used with StoredRecordRef to re-read a
// capture without reading the rest of the file.
[[nodiscard]] Result<WarcRecord> read_record_at(const std::filesystem::path& path, std::uint64_t offset,
                                                std::uint64_t inner_offset = 0, WarcReadOptions options = {});

// The bytes of a WARC file that is not a file of its own: an entry stored in a ZIP archive, an unnamed
// temporary file. Nothing outside [0, size()) is ever asked for.
class WarcBytes {
public:
    virtual ~WarcBytes() = default;
    // Up to `n` bytes from `offset` into `buf`; 0 at the end.
    [[nodiscard]] virtual Result<std::size_t> read_at(std::uint64_t offset, char* buf, std::size_t n) = 0;
    [[nodiscard]] virtual std::uint64_t size() const noexcept = 0;
};

// read_record_at() over such bytes; `name` stands for the file in messages.
[[nodiscard]] Result<WarcRecord> read_record_at(WarcBytes& bytes, const std::string& name, std::uint64_t offset,
                                                std::uint64_t inner_offset = 0, WarcReadOptions options = {});

// A record's payload, decoded while the record streams from the file (what --replay answers with).
struct BoundedPayload {
    WarcRecord record;  // headers and position; `block` stays empty
    // The HTTP head of an application/http block (response, request, revisit), through the blank line; empty
    // for other records.
    std::string http_head;
    // The payload: a resource's (or any non-HTTP record's) block, or a response's entity body with its
    // transfer and content codings undone; empty for request and revisit records.
    std::string body;
    bool truncated = false;  // the payload went on past max_body and was cut there
};

// The record at `offset` (and `inner_offset`), with at most `max_body` bytes of payload kept: the payload is
// decoded as the record is read and cut at max_body, and no more than that (plus the HTTP head, at most 1 MiB,
// and the buffers of one piece) is ever held in memory, however large the record or however far its body
// inflates. The record is still read to its end, so a damaged record is an Error as with read_record_at. An
// Error also for an HTTP block without a head, a response head that does not parse, or a coding that cannot
// be undone in the part of the payload that was kept.
[[nodiscard]] Result<BoundedPayload> read_payload_at(const std::filesystem::path& path, std::uint64_t offset,
                                                     std::uint64_t inner_offset, std::uint64_t max_body);

// ---------------------------------------------------------------------------------------------
// HTTP messages inside records (application/http blocks)

struct HttpResponse {
    std::string status_line;  // without CRLF
    int status = 0;
    std::vector<Header> headers;     // in order, obs-folded lines joined
    std::size_t payload_offset = 0;  // where the entity body starts in the block
    std::string body;                // the entity body with transfer and content codings undone
};

// Parses status line, headers and body. `Transfer-Encoding: chunked` and `Content-Encoding: gzip`,
// `x-gzip`, `deflate` and `identity` still present in the stored head are undone, in order. A coding that
// cannot be undone (unknown, or bytes that do not decode) is an Error; so is a decoded body over `max_body`.
[[nodiscard]] Result<HttpResponse> parse_http_response(std::string_view block,
                                                       std::uint64_t max_body = std::uint64_t{256} << 20);
// Status line and headers only; `body` stays empty and no coding is undone (a revisit record's block is
// such a head, its payload being elsewhere).
[[nodiscard]] Result<HttpResponse> parse_http_response_head(std::string_view block);
// Length of the HTTP head (through the blank line) at the start of `block`; nullopt when there is none.
[[nodiscard]] std::optional<std::size_t> http_head_length(std::string_view block) noexcept;

// ---------------------------------------------------------------------------------------------
// Digests

enum class DigestStatus {
    absent,         // the record has no such digest
    match,          // recomputed and equal
    mismatch,       // recomputed and different: the stored bytes are not what was hashed
    not_checkable,  // an algorithm other than SHA-256 (sha1 is common), or a payload not in this record
    malformed,      // "sha256:" followed by something that is neither hex nor base32 of 32 bytes
};

struct DigestCheck {
    DigestStatus block = DigestStatus::absent;
    DigestStatus payload = DigestStatus::absent;
    // True when no digest that could be checked failed (absent and not_checkable pass).
    [[nodiscard]] bool ok() const noexcept {
        auto good = [](DigestStatus s) { return s != DigestStatus::mismatch && s != DigestStatus::malformed; };
        return good(block) && good(payload);
    }
};

// Recomputes WARC-Block-Digest over the block and WARC-Payload-Digest over the payload (the entity body of
// an application/http block as stored; for a chunked body the de-chunked bytes are accepted too, since
// writers disagree; the whole block for other records; a revisit's payload lives elsewhere). SHA-256
// digests in lower- or upper-case hex or RFC 4648 base32 are checked.
[[nodiscard]] DigestCheck verify_digests(const WarcRecord& record);
[[nodiscard]] std::string_view to_string(DigestStatus s) noexcept;

// RFC 4648 base32 (upper-case alphabet, padding optional, lower case accepted); nullopt on other bytes.
[[nodiscard]] std::optional<std::string> base32_decode(std::string_view text);
[[nodiscard]] std::string base32_encode(std::string_view bytes);

}  // namespace provcheck
