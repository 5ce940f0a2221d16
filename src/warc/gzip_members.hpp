// How the writer compresses a record into a gzip member of its own (one member per record is what lets the reader,
// and any WARC tool, go straight to a record by its offset): fed in pieces, for a body that streams from disk, or two
// pieces at a time on two threads, for a large body in memory. Apart from the writer, which decides what goes in a
// record, because neither needs the other's details. Internal to the warc module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "warc/zlib_stream.hpp"

namespace provcheck::detail {

// Compresses each record as its own gzip member. One deflate state serves every member (deflateReset between
// them): setting one up costs a quarter of a megabyte of allocation and clearing, more than compressing a
// typical record. A member is made in one call (member()) or fed in pieces (begin(), add()), and then the
// compressed bytes go to `emit` as they come, so a body on disk never needs to be in memory whole.
class GzipMembers {
public:
    using Emit = std::function<Result<void>(std::string_view)>;

    // Starts a member compressed at `level` (Z_NO_COMPRESSION stores the bytes in deflate's stored blocks).
    Result<void> begin(int level = DeflateStream::default_level) { return z_.restart(15 + 16, level); }

    // Compresses `data` into the member begun last; `last` ends the member.
    Result<void> add(std::string_view data, bool last, const Emit& emit);

    // One complete gzip member holding `data`.
    Result<std::string> member(std::string_view data);

private:
    DeflateStream z_;
    std::string out_;
};

// One gzip member of `prefix`, `body` and `suffix` (a record's header, its payload in memory, its end), with
// the payload's pieces compressed two at a time, the second on a helper thread: a large page is archived in
// about half the time on two cores. Each piece is raw deflate primed with the 32 KiB that precede it, so the
// ratio hardly changes, and ends on a byte boundary (Z_SYNC_FLUSH), so the pieces join into one stream; the
// CRC-32 of the whole is combined from the pieces'. What it writes reads back as any gzip member does.
class TwoWayGzip {
public:
    static constexpr std::size_t piece_bytes = 256 * 1024;
    static constexpr std::size_t window = 32 * 1024;

    Result<void> member(std::string_view prefix, std::string_view body, std::string_view suffix, int level,
                        const GzipMembers::Emit& emit);

private:
    struct Piece {
        std::string_view prefix, body, suffix, dictionary;
        bool last = false;
        std::string out;
        std::uint32_t crc = 0;
        [[nodiscard]] std::size_t size() const { return prefix.size() + body.size() + suffix.size(); }
    };

    // One raw deflate state per thread, kept from record to record.
    static Result<void> compress(Piece& p, int level, DeflateStream& z);

    DeflateStream own_;
    DeflateStream helper_;
};

}  // namespace provcheck::detail
